-- The golden record: one row per customer, each attribute chosen by the survivorship rules
-- (seeds/survivorship_rules.csv) with the winning source and time beside the key ones, and the customer's
-- 360 facts: purchases, RFM, churn risk, category affinity, engagement, loyalty, support and consent.
-- Forgotten customers (deletion requests) are not here.
{%- set golden_attributes = [
    'first_name', 'last_name', 'email', 'phone', 'country_code', 'postal_code', 'birth_date', 'company_name'
] %}

with

footprints as (
    select * from {{ ref('int_customer_footprints') }}
),

winners as (
    select * from {{ ref('int_customer_attribute_winners') }}
),

order_metrics as (
    select * from {{ ref('int_customer_order_metrics') }}
),

category_affinity as (
    select * from {{ ref('int_customer_category_affinity') }}
),

engagement as (
    select * from {{ ref('int_customer_engagement_metrics') }}
),

support as (
    select * from {{ ref('int_customer_support_metrics') }}
),

loyalty as (
    select * from {{ ref('int_customer_loyalty') }}
),

consent as (
    select * from {{ ref('customer_consent') }}
),

deleted_customers as (
    select * from {{ ref('int_privacy_deleted_customers') }}
),

golden_attributes as (
    select
        {% for attribute in golden_attributes -%}
        max(case when attribute = '{{ attribute }}' then attribute_value end) as {{ attribute }},
        max(case when attribute = '{{ attribute }}' then winning_source end) as {{ attribute }}_source,
        max(case when attribute = '{{ attribute }}' then winning_observed_at end) as {{ attribute }}_observed_at,
        {% endfor -%}
        customer_id
    from winners
    group by customer_id
),

consent_flags as (
    select
        customer_id,
        max(case when channel = 'email' then consent_status end) as email_consent,
        max(case when channel = 'sms' then consent_status end) as sms_consent,
        max(case when channel = 'ads' then consent_status end) as ads_consent
    from consent
    group by customer_id
),

final as (
    select
        footprints.customer_id,
        golden_attributes.first_name,
        golden_attributes.last_name,
        golden_attributes.first_name_source as name_source,
        golden_attributes.email,
        golden_attributes.email_source,
        golden_attributes.email_observed_at as email_updated_at,
        golden_attributes.phone as phone_e164,
        golden_attributes.phone_source,
        golden_attributes.phone_observed_at as phone_updated_at,
        golden_attributes.country_code,
        golden_attributes.country_code_source as country_source,
        golden_attributes.postal_code,
        cast(golden_attributes.birth_date as date) as birth_date,
        golden_attributes.company_name,
        footprints.sources,
        cast(footprints.source_count as {{ dbt.type_bigint() }}) as source_count,
        cast(footprints.identity_records as {{ dbt.type_bigint() }}) as identity_records,
        loyalty.loyalty_tier,
        cast(loyalty.loyalty_points as {{ dbt.type_bigint() }}) as loyalty_points,
        cast(coalesce(order_metrics.orders, 0) as {{ dbt.type_bigint() }}) as orders,
        cast(coalesce(order_metrics.online_orders, 0) as {{ dbt.type_bigint() }}) as online_orders,
        cast(coalesce(order_metrics.store_orders, 0) as {{ dbt.type_bigint() }}) as store_orders,
        cast(coalesce(order_metrics.lifetime_revenue, 0) as decimal(18, 2)) as lifetime_revenue,
        order_metrics.average_order_value,
        cast(order_metrics.average_days_between_orders as double) as average_days_between_orders,
        cast(order_metrics.days_since_last_purchase as {{ dbt.type_bigint() }}) as days_since_last_purchase,
        cast(order_metrics.recency_score as {{ dbt.type_int() }}) as recency_score,
        cast(order_metrics.frequency_score as {{ dbt.type_int() }}) as frequency_score,
        cast(order_metrics.monetary_score as {{ dbt.type_int() }}) as monetary_score,
        order_metrics.churn_risk_score,
        order_metrics.preferred_channel,
        category_affinity.top_category,
        category_affinity.top_category_share,
        cast(coalesce(engagement.email_opens_90d, 0) as {{ dbt.type_bigint() }}) as email_opens_90d,
        cast(coalesce(engagement.email_clicks_90d, 0) as {{ dbt.type_bigint() }}) as email_clicks_90d,
        cast(coalesce(support.tickets, 0) as {{ dbt.type_bigint() }}) as support_tickets,
        cast(coalesce(support.open_tickets, 0) as {{ dbt.type_bigint() }}) as open_tickets,
        consent_flags.email_consent,
        consent_flags.sms_consent,
        consent_flags.ads_consent,
        coalesce(order_metrics.orders, 0) > 0 as is_purchaser,
        order_metrics.first_order_at,
        order_metrics.last_order_at,
        engagement.last_web_visit_at,
        engagement.last_app_event_at,
        engagement.last_email_engagement_at,
        support.last_ticket_at,
        footprints.first_seen_at,
        footprints.last_seen_at
    from footprints
    left join golden_attributes
        on footprints.customer_id = golden_attributes.customer_id
    left join order_metrics
        on footprints.customer_id = order_metrics.customer_id
    left join category_affinity
        on footprints.customer_id = category_affinity.customer_id
    left join engagement
        on footprints.customer_id = engagement.customer_id
    left join support
        on footprints.customer_id = support.customer_id
    left join loyalty
        on footprints.customer_id = loyalty.customer_id
    left join consent_flags
        on footprints.customer_id = consent_flags.customer_id
    left join deleted_customers
        on footprints.customer_id = deleted_customers.customer_id
    where deleted_customers.customer_id is null
)

select * from final
