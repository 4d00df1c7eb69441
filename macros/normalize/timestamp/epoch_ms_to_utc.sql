{#- UTC time from epoch milliseconds (a number); NULL outside years 1 to 9999. -#}
{% macro epoch_ms_to_utc(epoch_ms) %}
    {{- return(adapter.dispatch('epoch_ms_to_utc', 'cdp')(epoch_ms)) -}}
{% endmacro %}

{% macro default__epoch_ms_to_utc(epoch_ms) -%}
    case
        when {{ epoch_ms }} between -62135596800000 and 253402300799999
            then {{ cdp.epoch_microseconds_to_utc('cast(' ~ epoch_ms ~ ' as bigint) * 1000') }}
    end
{%- endmacro %}
