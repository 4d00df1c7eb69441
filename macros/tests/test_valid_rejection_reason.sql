{#- Every non-NULL value belongs to the fixed vocabulary of rejection reasons (cdp.rejection_reasons()). -#}
{% test valid_rejection_reason(model, column_name) %}
    select {{ column_name }} as unknown_reason
    from {{ model }}
    where
        {{ column_name }} is not null
        and {{ column_name }} not in (
            {%- for reason in cdp.rejection_reasons() %}'{{ reason }}'{{ ", " if not loop.last }}{% endfor -%}
        )
{% endtest %}
