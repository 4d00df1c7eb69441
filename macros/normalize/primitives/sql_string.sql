{#- Quote a Jinja string (a regex, a placeholder, a country name) as a SQL string literal.
    Spark and Snowflake treat a backslash inside '...' as an escape character and DuckDB does not,
    so a regex such as \s must be written differently per engine to reach the function intact. -#}
{% macro sql_string(value) %}
    {{- return(adapter.dispatch('sql_string', 'cdp')(value)) -}}
{% endmacro %}

{% macro default__sql_string(value) %}
    {{- return("'" ~ (value | string | replace("'", "''")) ~ "'") -}}
{% endmacro %}

{% macro snowflake__sql_string(value) %}
    {{- return("'" ~ (value | string | replace("\\", "\\\\") | replace("'", "''")) ~ "'") -}}
{% endmacro %}

{% macro spark__sql_string(value) %}
    {{- return("'" ~ (value | string | replace("\\", "\\\\") | replace("'", "\\'")) ~ "'") -}}
{% endmacro %}
