{#- `expr` with accented Latin letters replaced by plain ones ("josé" becomes "jose"), per
    accent_folding; lower-case the text first. translate() is the same on DuckDB, Snowflake and Spark. -#}
{% macro fold_accents(expr) %}
    {{- return(adapter.dispatch('fold_accents', 'cdp')(expr)) -}}
{% endmacro %}

{% macro default__fold_accents(expr) -%}
    {%- set folding = cdp.accent_folding() -%}
    translate({{ expr }}, {{ cdp.sql_string(folding['from']) }}, {{ cdp.sql_string(folding['to']) }})
{%- endmacro %}
