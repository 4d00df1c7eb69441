-- The customer profile for operational systems we own (the Postgres customer table, files, webhooks):
-- every customer with their golden attributes, segments and consent. No marketing consent is needed to
-- keep our own systems correct; each downstream use checks the consent columns it needs.
with

customers as (
    select * from {{ ref('dim_customers') }}
),

memberships as (
    select * from {{ ref('segment_memberships') }}
),

customer_segments as (
    select
        customer_id,
        {{ dbt.listagg("segment", "','", "order by segment") }} as segments
    from memberships
    group by customer_id
),

final as (
    select
        customers.customer_id as sync_key,
        customers.customer_id,
        customers.email,
        customers.phone_e164,
        customers.first_name,
        customers.last_name,
        customers.country_code,
        customers.loyalty_tier,
        customers.orders,
        customers.lifetime_revenue,
        customers.churn_risk_score,
        customer_segments.segments,
        customers.email_consent,
        customers.sms_consent,
        customers.ads_consent,
        customers.last_order_at
    from customers
    left join customer_segments
        on customers.customer_id = customer_segments.customer_id
)

select * from final
