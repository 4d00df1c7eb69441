{#- The first match of `pattern` in `expr` (or its capture group `group`), NULL when nothing matches. -#}
{% macro regexp_extract(expr, pattern, group=0) %}
    {{- return(adapter.dispatch('regexp_extract', 'cdp')(expr, pattern, group)) -}}
{% endmacro %}

{#- DuckDB and Spark return '' rather than NULL when there is no match. -#}
{% macro default__regexp_extract(expr, pattern, group) -%}
    nullif(regexp_extract({{ expr }}, {{ cdp.sql_string(pattern) }}, {{ group }}), '')
{%- endmacro %}

{% macro snowflake__regexp_extract(expr, pattern, group) -%}
    {%- if group == 0 -%}
    nullif(regexp_substr({{ expr }}, {{ cdp.sql_string(pattern) }}), '')
    {%- else -%}
    nullif(regexp_substr({{ expr }}, {{ cdp.sql_string(pattern) }}, 1, 1, 'e', {{ group }}), '')
    {%- endif -%}
{%- endmacro %}
