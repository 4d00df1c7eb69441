{#- Lower-case `expr`, then upper-case the first letter of each word, where words are separated by
    spaces, hyphens, apostrophes, dots and commas: "mary-jane o'neil" becomes "Mary-Jane O'Neil",
    "smith,jane" becomes "Smith,Jane" and "j.r.r." becomes "J.R.R.". -#}
{% macro initcap_words(expr) %}
    {{- return(adapter.dispatch('initcap_words', 'cdp')(expr)) -}}
{% endmacro %}

{#- PostgreSQL-style initcap already starts a word after any non-alphanumeric character. -#}
{% macro default__initcap_words(expr) -%}
    initcap({{ expr }})
{%- endmacro %}

{% macro snowflake__initcap_words(expr) -%}
    initcap({{ expr }}, {{ cdp.sql_string(" -'’.,") }})
{%- endmacro %}

{#- DuckDB has no initcap: rebuild the string character by character. -#}
{% macro duckdb__initcap_words(expr) -%}
    {%- set lowered = 'lower(' ~ expr ~ ')' -%}
    array_to_string(
        [
            case
                when i = 1 or substr({{ lowered }}, i - 1, 1) in (' ', '-', '''', '’', '.', ',')
                    then upper(substr({{ lowered }}, i, 1))
                else substr({{ lowered }}, i, 1)
            end
            for i in range(1, length({{ lowered }}) + 1)
        ],
        ''
    )
{%- endmacro %}

{#- Spark's initcap only splits on spaces. -#}
{% macro spark__initcap_words(expr) -%}
    {%- set lowered = 'lower(' ~ expr ~ ')' -%}
    array_join(
        transform(
            sequence(1, length({{ lowered }})),
            i -> case
                when i = 1 or substr({{ lowered }}, i - 1, 1) in (' ', '-', '\'', '’', '.', ',')
                    then upper(substr({{ lowered }}, i, 1))
                else substr({{ lowered }}, i, 1)
            end
        ),
        ''
    )
{%- endmacro %}
