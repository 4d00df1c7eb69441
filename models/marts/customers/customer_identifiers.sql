-- The identity map: every identifier of every customer, with the sources it was seen in, so anyone can
-- answer "who is this customer across channels?". Identifiers that may not link (shared, junk) are listed
-- for the customers whose records carry them, flagged with the reason. Incremental: a run recomputes only
-- the customers whose records changed (cdp.changed_customers).
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

identifiers as (
    select * from {{ ref('int_identity_linking_identifiers') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

deleted_customers as (
    select * from {{ ref('int_privacy_deleted_customers') }}
),

customer_identifier_sources as (
    select
        customer_ids.customer_id,
        identifiers.id_type,
        identifiers.source_value as id_value,
        identifiers.id_value as match_key,
        identifiers.link_value,
        identifiers.source,
        count(*) as records,
        min(identifiers.first_seen_at) as first_seen_at,
        max(identifiers.last_seen_at) as last_seen_at
    from customer_ids
    inner join identifiers
        on customer_ids.record_key = identifiers.record_key
    left join deleted_customers
        on customer_ids.customer_id = deleted_customers.customer_id
    where deleted_customers.customer_id is null
    group by
        customer_ids.customer_id,
        identifiers.id_type,
        identifiers.source_value,
        identifiers.id_value,
        identifiers.link_value,
        identifiers.source
),

customer_identifiers as (
    select
        customer_id,
        id_type,
        id_value,
        match_key,
        min(link_value) as link_value,
        {{ dbt.listagg("source", "', '", "order by source") }} as sources,
        cast(sum(records) as {{ dbt.type_bigint() }}) as records,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from customer_identifier_sources
    group by customer_id, id_type, id_value, match_key
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            "customer_identifiers.customer_id", "'|'",
            "customer_identifiers.id_type", "'|'",
            "customer_identifiers.id_value",
        ])) }}
            as customer_identifier_id,
        customer_identifiers.customer_id,
        customer_identifiers.id_type,
        customer_identifiers.id_value,
        customer_identifiers.match_key,
        customer_identifiers.sources,
        nodes.quarantine_reason,
        customer_identifiers.records,
        coalesce(nodes.is_linkable, false) as is_linking,
        customer_identifiers.first_seen_at,
        customer_identifiers.last_seen_at,
        {{ cdp.run_timestamp() }} as refreshed_at
    from customer_identifiers
    left join nodes
        on
            customer_identifiers.id_type = nodes.id_type
            and customer_identifiers.link_value = nodes.id_value
)

select * from final
