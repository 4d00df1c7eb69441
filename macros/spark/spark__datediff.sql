{#-
    dbt's datediff on Spark (overrides dbt-spark's spark__datediff) for hours and smaller units: the number
    of unit boundaries crossed, as on DuckDB and Snowflake (10:59 to 11:01 is 1 hour, 10:01 to 10:59 is 0).
    dbt-spark's rounds the elapsed seconds up instead. Each side is floored to whole units since the epoch,
    counted on the wall clock (TIMESTAMP_NTZ), so the session time zone does not matter (date_trunc would
    truncate in it). Days and longer units keep dbt-spark's (calendar dates: already boundaries).
-#}
{% macro spark__datediff(first_date, second_date, datepart) %}
    {%- set units = {
        'hour': 3600000000, 'minute': 60000000, 'second': 1000000, 'millisecond': 1000, 'microsecond': 1,
    } -%}
    {%- if datepart in units -%}
        ({{ cdp.spark_epoch_units(second_date, units[datepart]) }}
        - {{ cdp.spark_epoch_units(first_date, units[datepart]) }})
    {%- else -%}
        {{ dbt.spark__datediff(first_date, second_date, datepart) }}
    {%- endif -%}
{% endmacro %}

{#- Whole units of `microseconds` microseconds from 1970-01-01 to a wall-clock timestamp, floored. -#}
{% macro spark_epoch_units(timestamp, microseconds) -%}
    {%- set epoch_micros -%}
        timestampdiff(microsecond, timestamp_ntz'1970-01-01 00:00:00', cast({{ timestamp }} as timestamp_ntz))
    {%- endset -%}
    (({{ epoch_micros }} - pmod({{ epoch_micros }}, {{ microseconds }})) div {{ microseconds }})
{%- endmacro %}
