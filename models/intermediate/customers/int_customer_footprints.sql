-- Where each customer is known: identity records, distinct sources (as a list) and first/last seen.
with

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
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
        max(last_seen_at) as last_seen_at
    from customer_sources
    group by customer_id
)

select * from final
