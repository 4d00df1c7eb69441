{#
    The incremental strategy each engine runs best: merge on Snowflake (its native MERGE) and on Spark
    (Delta tables), delete+insert on DuckDB. Models call it in config() so no model names an engine.
#}
{% macro incremental_strategy() %}
    {{ return(adapter.dispatch('incremental_strategy', 'cdp')()) }}
{% endmacro %}

{% macro default__incremental_strategy() %}
    {{ return('merge') }}
{% endmacro %}

{% macro duckdb__incremental_strategy() %}
    {{ return('delete+insert') }}
{% endmacro %}
