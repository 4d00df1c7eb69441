{#- A money string as decimal(precision, scale), rounded half up to `scale` places; NULL for junk and
    for amounts too large for the precision. See decimal_parts for what is accepted. -#}
{% macro parse_decimal(value, precision, scale) %}
    {{- return(adapter.dispatch('parse_decimal', 'cdp')(value, precision, scale)) -}}
{% endmacro %}

{% macro default__parse_decimal(value, precision, scale) -%}
    {%- set parts = cdp.decimal_parts(value, precision, scale) -%}
    case when {{ parts['is_amount'] }} then {{ parts['parsed'] }} end
{%- endmacro %}
