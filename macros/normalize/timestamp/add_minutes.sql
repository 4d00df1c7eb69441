{#- `timestamp` plus a whole number of minutes (negative to subtract), keeping fractions of a second. -#}
{% macro add_minutes(timestamp, minutes) %}
    {{- return(adapter.dispatch('add_minutes', 'cdp')(timestamp, minutes)) -}}
{% endmacro %}

{% macro default__add_minutes(timestamp, minutes) -%}
    {{ dbt.dateadd('minute', minutes, timestamp) }}
{%- endmacro %}

{#- dbt-spark's dateadd goes through unix seconds and loses the fraction. -#}
{% macro spark__add_minutes(timestamp, minutes) -%}
    timestampadd(minute, {{ minutes }}, {{ timestamp }})
{%- endmacro %}
