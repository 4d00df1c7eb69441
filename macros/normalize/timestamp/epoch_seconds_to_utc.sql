{#- UTC time from epoch seconds with a fraction (a double such as 1700000000.123), to the nearest
    microsecond; NULL outside years 1 to 9999. -#}
{% macro epoch_seconds_to_utc(epoch_seconds) %}
    {{- return(adapter.dispatch('epoch_seconds_to_utc', 'cdp')(epoch_seconds)) -}}
{% endmacro %}

{% macro default__epoch_seconds_to_utc(epoch_seconds) -%}
    case
        when {{ epoch_seconds }} between -62135596800 and 253402300799
            then {{ cdp.epoch_microseconds_to_utc('cast(round(' ~ epoch_seconds ~ ' * 1000000) as bigint)') }}
    end
{%- endmacro %}
