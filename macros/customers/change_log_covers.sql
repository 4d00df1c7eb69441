{#-
    Whether the change log int_customer_changes tells everything that changed after `since` (a timestamp as
    run_query returns it): it holds entries, was not rebuilt after `since`, and was not pruned past it. Both
    readings of the log (cdp.changed_customers, cdp.changed_records) recompute everything when it does not.
-#}
{% macro change_log_covers(since) %}
    {%- set log = run_query(
        "select min(changed_at), "
        ~ "sum(case when change_type = 'rebuilt' and changed_at > " ~ cdp.timestamp_literal(since) ~ " then 1 else 0 end) "
        ~ "from " ~ ref('int_customer_changes')
    ).rows[0] -%}
    {{ return(log[0] is not none and not log[1] and log[0] <= since) }}
{% endmacro %}
