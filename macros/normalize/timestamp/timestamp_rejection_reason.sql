{#- Why iso8601_to_utc returns NULL for a value that is not NULL: blank, placeholder, invalid_format
    (not ISO-8601) or unparseable (ISO-8601 in form but no real time, such as month 13 or 30 February).
    NULL for a good or missing value. -#}
{% macro timestamp_rejection_reason(value) %}
    {{- return(adapter.dispatch('timestamp_rejection_reason', 'cdp')(value)) -}}
{% endmacro %}

{% macro default__timestamp_rejection_reason(value) -%}
    {%- set parts = cdp.iso8601_parts(value) -%}
    case
        when {{ value }} is null then null
        when {{ cdp.regexp_full_match(value, '\\s*') }} then 'blank'
        when lower(trim({{ value }})) in {{ cdp.sql_string_list(cdp.placeholder_values()['any']) }} then 'placeholder'
        when not {{ parts['is_iso8601'] }} then 'invalid_format'
        when {{ parts['utc'] }} is null then 'unparseable'
    end
{%- endmacro %}
