{#-
    The record-level reading of the change log int_customer_changes, for models keyed by identity record
    rather than by customer (facts that carry each row's customer): SQL selecting the records whose customer
    may differ from what the model wrote at `written` (the newest run timestamp it holds, as returned by
    run_query): moved to another customer, no longer resolved, or resolved anew. None when the log cannot tell
    (no `written`, a log rebuilt since, or pruned past it): the model must then compare every record.
-#}
{% macro changed_records(written) %}
    {%- if not execute or written is none or not cdp.change_log_covers(written) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set changed -%}
        select distinct record_key from {{ ref('int_customer_changes') }}
        where
            changed_at > {{ cdp.timestamp_literal(written) }}
            and change_type in ('moved', 'unresolved', 'new_record')
    {%- endset -%}
    {{ return(changed) }}
{% endmacro %}
