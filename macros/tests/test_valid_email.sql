{#- Every non-NULL value is a normalised email: lower-case, no whitespace, one @, a dotted domain. -#}
{% test valid_email(model, column_name) %}
    select {{ column_name }} as invalid_email
    from {{ model }}
    where
        {{ column_name }} is not null
        and not {{ cdp.regexp_full_match(column_name, "[a-z0-9._%+'-]+@[a-z0-9-]+(\\.[a-z0-9-]+)*\\.[a-z]{2,}") }}
{% endtest %}
