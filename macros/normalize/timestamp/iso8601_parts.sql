{#- Shared pieces of iso8601_to_utc and timestamp_rejection_reason, as SQL text.
    Accepted: YYYY-MM-DD, optionally followed by T or a space and hh:mm[:ss[.fraction]], optionally
    followed by Z, UTC or an offset +hh, +hhmm or +hh:mm. A time without an offset is taken as UTC, a
    date alone as midnight UTC. Fractions beyond microseconds are truncated. -#}
{% macro iso8601_parts(value) %}
    {%- set trimmed = 'trim(' ~ value ~ ')' -%}
    {%- set date = '[0-9]{4}-[0-9]{2}-[0-9]{2}' -%}
    {%- set offset = '([+-])([0-9]{2}):?([0-9]{2})?' -%}
    {%- set time = '[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?' -%}
    {%- set zone = '\\s*([Zz]|UTC|' ~ offset ~ ')' -%}
    {#- The wall-clock part, cut to microseconds. -#}
    {%- set wall_clock = cdp.regexp_extract(
        trimmed, '^' ~ date ~ '([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,6})?)?)?'
    ) -%}
    {%- set local_timestamp = cdp.try_cast(
        cdp.regexp_replace_all(wall_clock, '[Tt]', ' '), cdp.utc_timestamp_type()
    ) -%}
    {#- An offset only counts after a time: a bare date also ends in -dd. -#}
    {%- set offset_minutes -%}
        case
            when {{ cdp.regexp_full_match(trimmed, '.*:[0-9]{2}([.][0-9]+)?\\s*' ~ offset) }}
                then (
                    {{ cdp.try_cast(cdp.regexp_extract(trimmed, offset ~ '$', 2), 'int') }} * 60
                    + coalesce({{ cdp.try_cast(cdp.regexp_extract(trimmed, offset ~ '$', 3), 'int') }}, 0)
                ) * case when {{ cdp.regexp_extract(trimmed, offset ~ '$', 1) }} = '-' then -1 else 1 end
            else 0
        end
    {%- endset -%}
    {{- return({
        'is_iso8601': cdp.regexp_full_match(trimmed, date ~ '(' ~ time ~ '(' ~ zone ~ ')?)?'),
        'utc': cdp.add_minutes(local_timestamp, '-(' ~ offset_minutes ~ ')')
    }) -}}
{% endmacro %}
