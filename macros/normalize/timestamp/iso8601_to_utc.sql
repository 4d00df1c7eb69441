{#- UTC time from an ISO-8601 string such as 2024-03-10T12:34:56.123+02:00 or 2024-03-10 12:34:56Z;
    NULL when the string is not ISO-8601 or names no real time (2024-02-30). See iso8601_parts. -#}
{% macro iso8601_to_utc(value) %}
    {{- return(adapter.dispatch('iso8601_to_utc', 'cdp')(value)) -}}
{% endmacro %}

{% macro default__iso8601_to_utc(value) -%}
    {%- set parts = cdp.iso8601_parts(value) -%}
    case when {{ parts['is_iso8601'] }} then {{ parts['utc'] }} end
{%- endmacro %}
