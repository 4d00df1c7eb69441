{#-
    Customer-level models (one or more rows per customer, each a function of the customer's records) are
    incremental: a run recomputes only the customers whose records changed since the model was last built,
    read from the log int_customer_changes, and keeps every other customer's rows. Each such model:
      * carries `refreshed_at` (cdp.run_timestamp()): when its rows for that customer were computed; the
        newest refreshed_at of the table is how far the model has read the log;
      * deletes, before it runs, the rows of every customer it is about to recompute
        (pre_hook: cdp.forget_changed_customers()), customers merged away or forgotten included;
      * filters its customers with cdp.changed_customers_filter(cdp.changed_customers(), 'customer_id').
    The model recomputes every customer (its first build, --full-refresh, a table from before refreshed_at,
    rules that changed, or when the log cannot tell what changed since it last ran: it was rebuilt, or
    pruned past that) whenever changed_customers() returns none. A run that fails leaves the model's refreshed_at behind, so the next
    run reads the log from there: no change is lost between runs.

    SQL selecting the customer ids to recompute, or none when every customer must be. A model applying a
    rules seed passes its cdp.rules_version(): when the rules changed, every customer is recomputed.
-#}
{% macro changed_customers(rules_version=none) %}
    {%- set changes = ref('int_customer_changes') -%}
    {%- set deleted = ref('int_privacy_deleted_customers') -%}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set columns = cdp.column_names(this) -%}
    {%- if 'refreshed_at' not in columns or (rules_version is not none and 'rules_version' not in columns) -%}
        {{ return(none) }}
    {%- endif -%}
    {#- One scan of the table: how far it has read the log, and how many rows other rules computed. -#}
    {%- set other_rules = "0" if rules_version is none
        else "sum(case when rules_version <> '" ~ rules_version ~ "' then 1 else 0 end)" -%}
    {%- set held = run_query("select max(refreshed_at), " ~ other_rules ~ " from " ~ this).rows[0] -%}
    {%- set refreshed = held[0] -%}
    {%- if refreshed is none or held[1] -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not cdp.change_log_covers(refreshed) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set since = cdp.timestamp_literal(refreshed) -%}
    {%- set changed -%}
        select customer_id from {{ changes }}
        where changed_at > {{ since }} and customer_id is not null
        union
        select previous_customer_id from {{ changes }}
        where changed_at > {{ since }} and previous_customer_id is not null
        union
        select customer_id from {{ deleted }}
    {%- endset -%}
    {{ return(changed) }}
{% endmacro %}
