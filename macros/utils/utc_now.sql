{#- The current time as a naive UTC timestamp, the canonical timestamp type of every model. -#}
{% macro utc_now() %}
    {{ return(adapter.dispatch('utc_now', 'cdp')()) }}
{% endmacro %}

{% macro default__utc_now() %}
    cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }})
{% endmacro %}

{% macro duckdb__utc_now() %}
    (now() at time zone 'UTC')
{% endmacro %}

{% macro snowflake__utc_now() %}
    sysdate()
{% endmacro %}

{% macro spark__utc_now() %}
    cast(current_timestamp() as timestamp_ntz)
{% endmacro %}
