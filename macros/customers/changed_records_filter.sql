{#-
    A where clause keeping the rows of a staging model that are identity records of the customers being
    recomputed (`customer_ids` names the relation or CTE holding their records): it trims a source before it
    is reshaped, instead of after. Nothing when every customer is recomputed.
-#}
{% macro changed_records_filter(changed, source_name, entity, record_id, customer_ids='customer_ids') %}
    {%- if changed is not none -%}
        where {{ cdp.identity_record_key(source_name, entity, record_id) }} in (
            select record_key from {{ customer_ids }}
        )
    {%- endif -%}
{% endmacro %}
