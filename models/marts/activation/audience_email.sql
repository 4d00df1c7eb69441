-- Email lists for the ESP: one row per customer and segment (list_key), only for customers with granted
-- email consent and a deliverable email. The sync sends only changes to what the ESP last acknowledged.
with

memberships as (
    select * from {{ ref('segment_memberships') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

consent as (
    select * from {{ ref('customer_consent') }}
    where channel = 'email' and is_granted
),

final as (
    select
        {{ dbt.concat(["memberships.customer_id", "':'", "memberships.segment"]) }} as sync_key,
        memberships.customer_id,
        memberships.segment as list_key,
        customers.email,
        customers.phone_e164,
        customers.first_name,
        customers.last_name,
        customers.country_code,
        customers.lifetime_revenue,
        customers.loyalty_tier,
        consent.decided_at as consent_decided_at
    from memberships
    inner join customers
        on memberships.customer_id = customers.customer_id
    inner join consent
        on memberships.customer_id = consent.customer_id
    where customers.email is not null
)

select * from final
