{#- UTC time, without time zone, from a value that carries its own (timestamp with time zone). -#}
{% macro tz_to_utc(timestamp_with_time_zone) %}
    {{- return(adapter.dispatch('tz_to_utc', 'cdp')(timestamp_with_time_zone)) -}}
{% endmacro %}

{% macro default__tz_to_utc(timestamp_with_time_zone) -%}
    cast(convert_timezone('UTC', {{ timestamp_with_time_zone }}) as {{ cdp.utc_timestamp_type() }})
{%- endmacro %}

{% macro duckdb__tz_to_utc(timestamp_with_time_zone) -%}
    timezone('UTC', {{ timestamp_with_time_zone }})
{%- endmacro %}

{#- Spark's timestamp is already an instant; going through epoch microseconds keeps the result
    independent of the session time zone. -#}
{% macro spark__tz_to_utc(timestamp_with_time_zone) -%}
    {{ cdp.epoch_microseconds_to_utc('unix_micros(' ~ timestamp_with_time_zone ~ ')') }}
{%- endmacro %}
