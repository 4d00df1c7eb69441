{#- True when the whole of `expr` matches `pattern` (a Jinja string); NULL when `expr` is NULL. -#}
{% macro regexp_full_match(expr, pattern) %}
    {{- return(adapter.dispatch('regexp_full_match', 'cdp')(expr, pattern)) -}}
{% endmacro %}

{#- Snowflake anchors regexp_like at both ends already; the explicit anchors keep other engines honest
    and the group keeps an alternation such as a|b anchored as a whole. -#}
{% macro default__regexp_full_match(expr, pattern) -%}
    regexp_like({{ expr }}, {{ cdp.sql_string('^(' ~ pattern ~ ')$') }})
{%- endmacro %}

{% macro duckdb__regexp_full_match(expr, pattern) -%}
    regexp_full_match({{ expr }}, {{ cdp.sql_string(pattern) }})
{%- endmacro %}

{#- Java's $ also matches before a final line break; \z does not. -#}
{% macro spark__regexp_full_match(expr, pattern) -%}
    regexp_like({{ expr }}, {{ cdp.sql_string('^(?:' ~ pattern ~ ')\\z') }})
{%- endmacro %}
