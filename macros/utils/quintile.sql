{#
    The quintile (1 to 5, 5 = highest) of `expression` among all rows, by percent rank, so rows with equal
    values always share a quintile (ntile would split a tie by whatever breaks it, e.g. the customer id, and a
    relabelling or a new row would move customers between scores). Ties at the bottom all score 1.
#}
{% macro quintile(expression) -%}
    cast(least(5, 1 + floor(5 * percent_rank() over (order by {{ expression }}))) as {{ dbt.type_int() }})
{%- endmacro %}
