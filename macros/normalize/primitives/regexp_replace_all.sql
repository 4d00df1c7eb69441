{#- Replace every match of `pattern` (a Jinja string, RE2/Java/POSIX-compatible subset) in `expr`.
    `replacement` is plain text, optionally with group references written \1 to \9. -#}
{% macro regexp_replace_all(expr, pattern, replacement='') %}
    {{- return(adapter.dispatch('regexp_replace_all', 'cdp')(expr, pattern, replacement)) -}}
{% endmacro %}

{#- Spark and Snowflake replace every match by default. -#}
{% macro default__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ cdp.sql_string(pattern) }}, {{ cdp.sql_string(replacement) }})
{%- endmacro %}

{#- DuckDB replaces only the first match unless told 'g'. -#}
{% macro duckdb__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ cdp.sql_string(pattern) }}, {{ cdp.sql_string(replacement) }}, 'g')
{%- endmacro %}

{#- Java writes group references as $1, not \1. -#}
{% macro spark__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ cdp.sql_string(pattern) }}, {{ cdp.sql_string(modules.re.sub('\\\\([1-9])', '$\\1', replacement)) }})
{%- endmacro %}
