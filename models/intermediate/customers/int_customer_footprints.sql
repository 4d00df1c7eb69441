-- Where each customer is known: identity records, distinct sources (as a list) and first/last seen.
-- Incremental: a run recomputes only the customers whose records changed (cdp.changed_customers).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_changed_customers() }}",
) }}
{%- set changed_customers = cdp.changed_customers() %}

with

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
    {{ cdp.changed_customers_filter(changed_customers) }}
),

record_clusters as (
    select * from {{ ref('int_identity_record_clusters') }}
),

customer_sources as (
    select
        customer_ids.customer_id,
        record_clusters.source,
        count(*) as records,
        min(record_clusters.first_seen_at) as first_seen_at,
        max(record_clusters.last_seen_at) as last_seen_at
    from customer_ids
    inner join record_clusters
        on customer_ids.record_key = record_clusters.record_key
    group by customer_ids.customer_id, record_clusters.source
),

final as (
    select
        customer_id,
        sum(records) as identity_records,
        count(*) as source_count,
        {{ dbt.listagg("source", "', '", "order by source") }} as sources,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        {{ cdp.run_timestamp() }} as refreshed_at
    from customer_sources
    group by customer_id
)

select * from final
