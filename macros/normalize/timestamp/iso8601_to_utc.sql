{#- UTC time from an ISO-8601 string such as 2024-03-10T12:34:56.123+02:00 or 2024-03-10 12:34:56Z;
    NULL when the string is not ISO-8601 or names no real time (2024-02-30). See iso8601_parts. -#}
{% macro iso8601_to_utc(value) %}
    {{- return(adapter.dispatch('iso8601_to_utc', 'cdp')(value)) -}}
{% endmacro %}

{% macro default__iso8601_to_utc(value) -%}
    {%- set parts = cdp.iso8601_parts(value) -%}
    case when {{ parts['is_iso8601'] }} then {{ parts['utc'] }} end
{%- endmacro %}

{#- DuckDB parses ISO-8601 natively, far faster than rebuilding the time from its parts; the same pattern
    decides what is ISO-8601, and the session time zone (UTC, set in profiles.yml) reads a time without
    an offset as UTC. -#}
{% macro duckdb__iso8601_to_utc(value) -%}
    {%- set parts = cdp.iso8601_parts(value) -%}
    case
        when {{ parts['is_iso8601'] }}
            then timezone('UTC', try_cast(
                regexp_replace(
                    regexp_replace(upper(trim({{ value }})), '\s+(Z|UTC|[+-][0-9]{2}(:?[0-9]{2})?)$', '\1'),
                    'UTC$', 'Z'
                ) as timestamptz
            ))
    end
{%- endmacro %}
