{#- A where clause keeping the customers `changed` selects (nothing when every customer is recomputed). -#}
{% macro changed_customers_filter(changed, column='customer_id') %}
    {%- if changed is not none -%}
        where {{ column }} in ({{ changed }})
    {%- endif -%}
{% endmacro %}
