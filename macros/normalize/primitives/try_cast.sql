{#- Cast that yields NULL instead of failing on a value that does not convert. DuckDB, Spark 3.2+ and
    Snowflake (from strings) all have TRY_CAST; dbt.safe_cast is a plain, failing cast on dbt-duckdb
    and dbt-spark. Not named safe_cast: a cdp macro of that name would take over dbt's own dispatch. -#}
{% macro try_cast(expr, type) %}
    {{- return(adapter.dispatch('try_cast', 'cdp')(expr, type)) -}}
{% endmacro %}

{% macro default__try_cast(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}
