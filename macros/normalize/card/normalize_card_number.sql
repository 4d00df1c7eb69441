{#- A loyalty card number as its digits only (leading zeros kept, so a string), or NULL. -#}
{% macro normalize_card_number(card_number) %}
    {{- return(adapter.dispatch('normalize_card_number', 'cdp')(card_number)) -}}
{% endmacro %}

{% macro default__normalize_card_number(card_number) -%}
    {%- set parts = cdp.card_number_parts(card_number) -%}
    case when {{ parts['reason'] }} is null then {{ parts['digits'] }} end
{%- endmacro %}
