{#- Jaro-Winkler similarity of two strings, from 0 (nothing in common) to 1 (equal); NULL when either is NULL.
    The Winkler bonus (0.1 per character of common prefix, up to 4) applies when the Jaro similarity is above
    0.7, as in DuckDB. -#}
{% macro jaro_winkler_similarity(a, b) %}
    {{- return(adapter.dispatch('jaro_winkler_similarity', 'cdp')(a, b)) -}}
{% endmacro %}

{% macro default__jaro_winkler_similarity(a, b) -%}
    jaro_winkler_similarity({{ a }}, {{ b }})
{%- endmacro %}

{#- Snowflake scores 0 to 100 (an integer). -#}
{% macro snowflake__jaro_winkler_similarity(a, b) -%}
    (jarowinkler_similarity({{ a }}, {{ b }}) / 100.0)
{%- endmacro %}

{#- Spark has no Jaro-Winkler: the algorithm in SQL with higher-order functions. One pass over the first
    string's characters (aggregate) matches each, greedily and in order, to the first unmatched equal
    character of the second string within the match window, collecting the matched characters of the
    first string and the matched positions of the second; transpositions are the positions where the two
    matched sequences differ, halved. -#}
{% macro spark__jaro_winkler_similarity(a, b) -%}
    {%- set len_a = 'length(' ~ a ~ ')' -%}
    {%- set len_b = 'length(' ~ b ~ ')' -%}
    {%- set window = 'cast(greatest(floor(greatest(' ~ len_a ~ ', ' ~ len_b ~ ') / 2) - 1, 0) as int)' -%}
    {%- set candidates -%}
        filter(
            sequence(greatest(0, i - {{ window }}), least({{ len_b }} - 1, i + {{ window }})),
            cand_k -> not element_at(acc.used, cand_k + 1)
                and substr({{ b }}, cand_k + 1, 1) = substr({{ a }}, i + 1, 1)
        )
    {%- endset -%}
    {%- set matched -%}
        aggregate(
            sequence(0, {{ len_a }} - 1),
            named_struct('used', array_repeat(false, {{ len_b }}), 'chars', ''),
            (acc, i) -> element_at(transform(
                array(case
                    when greatest(0, i - {{ window }}) > least({{ len_b }} - 1, i + {{ window }}) then -1
                    when size({{ candidates }}) > 0 then element_at({{ candidates }}, 1)
                    else -1
                end),
                j -> named_struct(
                    'used', transform(acc.used, (is_used, used_k) -> is_used or used_k = j),
                    'chars', concat(acc.chars, case when j >= 0 then substr({{ a }}, i + 1, 1) else '' end)
                )
            ), 1)
        )
    {%- endset -%}
    element_at(transform(array({{ matched }}), matched -> element_at(transform(
        array(named_struct(
            'm', length(matched.chars),
            'chars_a', matched.chars,
            'chars_b', array_join(
                transform(filter(sequence(0, {{ len_b }} - 1), pos_k -> element_at(matched.used, pos_k + 1)),
                    pos_k -> substr({{ b }}, pos_k + 1, 1)),
                ''
            )
        )),
        s -> case
            when {{ len_a }} = 0 or {{ len_b }} = 0 then case when {{ len_a }} = {{ len_b }} then 1.0 else 0.0 end
            when s.m = 0 then 0.0
            else element_at(transform(
                array(
                    (s.m / {{ len_a }} + s.m / {{ len_b }}
                        + (s.m - floor(size(filter(sequence(1, s.m), mis_k -> substr(s.chars_a, mis_k, 1) != substr(s.chars_b, mis_k, 1))) / 2))
                        / s.m) / 3.0
                ),
                jaro -> case
                    when jaro > 0.7
                        then jaro + 0.1 * (1 - jaro) * coalesce(
                            nullif(array_position(transform(
                                sequence(1, least(4, {{ len_a }}, {{ len_b }})),
                                pre_k -> substr({{ a }}, pre_k, 1) != substr({{ b }}, pre_k, 1)
                            ), true), 0) - 1,
                            least(4, {{ len_a }}, {{ len_b }})
                        )
                    else jaro
                end
            ), 1)
        end
    ), 1)), 1)
{%- endmacro %}
