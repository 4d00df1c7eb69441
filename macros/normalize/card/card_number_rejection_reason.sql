{#- Why normalize_card_number returns NULL for a value that is not NULL: blank, placeholder (including
    counting runs like 12345678), invalid_format (anything but digits, spaces and dashes),
    invalid_length (not 8 to 19 digits) or repeated_digits. NULL for a valid or missing number. -#}
{% macro card_number_rejection_reason(card_number) %}
    {{- return(adapter.dispatch('card_number_rejection_reason', 'cdp')(card_number)) -}}
{% endmacro %}

{% macro default__card_number_rejection_reason(card_number) -%}
    {{ cdp.card_number_parts(card_number)['reason'] }}
{%- endmacro %}
