{#-
    A where clause keeping the rows of a staging model that are identity records held by `customer_ids`, a
    relation or CTE with a record_key column: the records of the customers being recomputed, or the records
    the change log names (cdp.changed_records). It trims a source before it is reshaped, instead of after.
    Nothing when `changed` is none (every row is wanted).
-#}
{% macro changed_records_filter(changed, source_name, entity, record_id, customer_ids='customer_ids') %}
    {%- if changed is not none -%}
        where {{ cdp.identity_record_key(source_name, entity, record_id) }} in (
            select record_key from {{ customer_ids }}
        )
    {%- endif -%}
{% endmacro %}
