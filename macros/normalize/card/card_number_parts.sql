{#- Shared pieces of normalize_card_number and card_number_rejection_reason, as SQL text:
    digits - the value without whitespace and dashes (how cards are printed and typed);
    reason - why the value is rejected, NULL when it is valid or missing. A card number is 8 to 19
             digits (ISO/IEC 7812 allows up to 19); one digit throughout, or a counting run such as
             12345678, is what cashiers type to get past the field. -#}
{% macro card_number_parts(card_number) %}
    {%- set digits = cdp.regexp_replace_all(card_number, '\\s|-', '') -%}
    {%- set reason -%}
        case
            when {{ card_number }} is null then null
            when {{ digits }} = '' then 'blank'
            when lower(trim({{ card_number }})) in {{ cdp.sql_string_list(cdp.placeholder_values()['any']) }}
                then 'placeholder'
            when not {{ cdp.regexp_full_match(digits, '[0-9]+') }} then 'invalid_format'
            when length({{ digits }}) not between 8 and 19 then 'invalid_length'
            when {{ cdp.regexp_full_match(digits, '0+|1+|2+|3+|4+|5+|6+|7+|8+|9+') }} then 'repeated_digits'
            when {{ dbt.position(digits, "'01234567890123456789'") }} > 0
                or {{ dbt.position(digits, "'98765432109876543210'") }} > 0
                then 'placeholder'
        end
    {%- endset -%}
    {{- return({'digits': digits, 'reason': reason}) -}}
{% endmacro %}
