-- SMS lists: one row per customer and segment, only for customers with granted SMS consent and a phone.
with

memberships as (
    select * from {{ ref('segment_memberships') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

consent as (
    select * from {{ ref('customer_consent') }}
    where channel = 'sms' and is_granted
),

final as (
    select
        {{ dbt.concat(["memberships.customer_id", "':'", "memberships.segment"]) }} as sync_key,
        memberships.customer_id,
        memberships.segment as list_key,
        customers.phone_e164,
        customers.first_name,
        customers.country_code,
        consent.decided_at as consent_decided_at
    from memberships
    inner join customers
        on memberships.customer_id = customers.customer_id
    inner join consent
        on memberships.customer_id = consent.customer_id
    where customers.phone_e164 is not null
)

select * from final
