{#- Every non-NULL value is an E.164 number: a plus, a country code that does not start with 0, 8 to 15 digits. -#}
{% test valid_e164(model, column_name) %}
    select {{ column_name }} as invalid_phone
    from {{ model }}
    where
        {{ column_name }} is not null
        and not {{ cdp.regexp_full_match(column_name, "\\+[1-9][0-9]{6,14}") }}
{% endtest %}
