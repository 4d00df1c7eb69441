{#- Why parse_decimal returns NULL for a value that is not NULL: blank, placeholder, invalid_format or
    invalid_length (too many digits for the precision). NULL for a good or missing value. -#}
{% macro decimal_rejection_reason(value, precision, scale) %}
    {{- return(adapter.dispatch('decimal_rejection_reason', 'cdp')(value, precision, scale)) -}}
{% endmacro %}

{% macro default__decimal_rejection_reason(value, precision, scale) -%}
    {%- set parts = cdp.decimal_parts(value, precision, scale) -%}
    case
        when {{ value }} is null then null
        when {{ parts['trimmed'] }} = '' then 'blank'
        when lower({{ parts['trimmed'] }}) in {{ cdp.sql_string_list(cdp.placeholder_values()['any']) }} then 'placeholder'
        when not {{ parts['is_amount'] }} then 'invalid_format'
        when {{ parts['parsed'] }} is null then 'invalid_length'
    end
{%- endmacro %}
