-- Every identifier held by a forgotten customer, so identifier-level marts (quarantine, cut links) can
-- drop them too.
with

deleted_customers as (
    select * from {{ ref('int_privacy_deleted_customers') }}
),

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
),

identifiers as (
    select * from {{ ref('int_identity_identifiers') }}
),

final as (
    select distinct
        identifiers.id_type,
        identifiers.id_value
    from deleted_customers
    inner join customer_ids
        on deleted_customers.customer_id = customer_ids.customer_id
    inner join identifiers
        on customer_ids.record_key = identifiers.record_key
)

select * from final
