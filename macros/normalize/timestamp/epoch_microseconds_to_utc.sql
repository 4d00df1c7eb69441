{#- UTC time from a whole number of microseconds since 1970-01-01 UTC (the resolution all three engines
    keep); the epoch_* and tz_to_utc macros build on it. -#}
{% macro epoch_microseconds_to_utc(microseconds) %}
    {{- return(adapter.dispatch('epoch_microseconds_to_utc', 'cdp')(microseconds)) -}}
{% endmacro %}

{% macro default__epoch_microseconds_to_utc(microseconds) -%}
    {{ dbt.dateadd('microsecond', microseconds, "cast('1970-01-01 00:00:00' as " ~ cdp.utc_timestamp_type() ~ ")") }}
{%- endmacro %}

{#- DuckDB multiplies an interval by a 32-bit integer only, far too small for microseconds. -#}
{% macro duckdb__epoch_microseconds_to_utc(microseconds) -%}
    make_timestamp({{ microseconds }})
{%- endmacro %}

{#- As for add_minutes: dbt-spark's dateadd would drop the fraction of a second. -#}
{% macro spark__epoch_microseconds_to_utc(microseconds) -%}
    timestampadd(microsecond, {{ microseconds }}, timestamp_ntz'1970-01-01 00:00:00')
{%- endmacro %}
