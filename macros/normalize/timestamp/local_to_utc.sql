{#- UTC time from a wall-clock time without time zone and the IANA zone it was read in (a SQL
    expression such as a store_timezone column), daylight saving included. A time skipped when clocks
    go forward is read with the offset before the change (02:30 on a spring-forward night in New York is
    07:30 UTC); a time that happens twice when clocks go back is read as its first occurrence, the
    java.time and Python (fold=0) convention. An unknown zone name is an error, not NULL: it is a broken
    source contract, not a bad value. -#}
{% macro local_to_utc(local_timestamp, time_zone) %}
    {{- return(adapter.dispatch('local_to_utc', 'cdp')(local_timestamp, time_zone)) -}}
{% endmacro %}

{#- Snowflake, Spark 3.4+ and Redshift share this signature. -#}
{% macro default__local_to_utc(local_timestamp, time_zone) -%}
    convert_timezone({{ time_zone }}, 'UTC', cast({{ local_timestamp }} as {{ cdp.utc_timestamp_type() }}))
{%- endmacro %}

{#- DuckDB reads a repeated time as its second occurrence: step back an hour when that reads the same. -#}
{% macro duckdb__local_to_utc(local_timestamp, time_zone) -%}
    {%- set utc = "timezone('UTC', timezone(" ~ time_zone ~ ", cast(" ~ local_timestamp ~ " as timestamp)))" -%}
    case
        when timezone({{ time_zone }}, timezone('UTC', {{ utc }} - interval 1 hour)) = cast({{ local_timestamp }} as timestamp)
            then {{ utc }} - interval 1 hour
        else {{ utc }}
    end
{%- endmacro %}
