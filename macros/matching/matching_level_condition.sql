{#-
    The SQL condition under which two values `a` and `b` (expressions, neither NULL) fall in a configured
    comparison level (one entry of a comparison's `levels` in vars.matching_comparisons):
      exact         equal;
      nickname      names of one person by the first_name_nicknames seed (`nickname` is the boolean SQL
                    expression the calling model provides, see int_matching_scored_pairs);
      jaro_winkler  Jaro-Winkler similarity at least `threshold` (0 to 1), on the values as text;
      levenshtein   at most `threshold` edits, on the values as text;
      initial       one value is a single letter that the other starts with;
      prefix        the first `threshold` characters agree;
      soundex       the same Soundex code.
    orchestration/cdp_orchestration/matching/config.py writes the same conditions for Splink; keep the two in step.
-#}
{% macro matching_level_condition(level, a, b, nickname='false') %}
    {%- set text_a = dbt.cast(a, dbt.type_string()) -%}
    {%- set text_b = dbt.cast(b, dbt.type_string()) -%}
    {%- if level.kind == 'exact' -%}
        {{ a }} = {{ b }}
    {%- elif level.kind == 'nickname' -%}
        {{ nickname }}
    {%- elif level.kind == 'jaro_winkler' -%}
        {{ cdp.jaro_winkler_similarity(text_a, text_b) }} >= {{ level.threshold }}
    {%- elif level.kind == 'levenshtein' -%}
        {{ cdp.edit_distance(text_a, text_b) }} <= {{ level.threshold }}
    {%- elif level.kind == 'initial' -%}
        ((length({{ text_a }}) = 1 or length({{ text_b }}) = 1) and left({{ text_a }}, 1) = left({{ text_b }}, 1))
    {%- elif level.kind == 'prefix' -%}
        left({{ text_a }}, {{ level.threshold }}) = left({{ text_b }}, {{ level.threshold }})
    {%- elif level.kind == 'soundex' -%}
        {{ cdp.soundex(text_a) }} = {{ cdp.soundex(text_b) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("matching_comparisons: unknown level kind '" ~ level.kind ~ "'") }}
    {%- endif -%}
{% endmacro %}
