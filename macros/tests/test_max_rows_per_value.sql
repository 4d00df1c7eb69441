{#- No value of the column may occur on more than `max_rows` rows; used to warn about oversized clusters. -#}
{% test max_rows_per_value(model, column_name, max_rows) %}
    select
        {{ column_name }} as oversized_value,
        count(*) as rows_with_value
    from {{ model }}
    group by {{ column_name }}
    having count(*) > {{ max_rows }}
{% endtest %}
