-- Purchase behaviour per customer across shop and store: counts, revenue in the reporting currency,
-- timing, the channel they buy on most, RFM quintiles (cdp.quintile: equal values, equal score) and a
-- churn-risk score.
-- churn_risk_score = days since the last purchase / (2 x the customer's usual gap between purchases),
-- capped at 1; one-time buyers are measured against the median gap of repeat buyers.
with

orders as (
    select * from {{ ref('fct_orders') }}
    where customer_id is not null and is_revenue
),

per_customer as (
    select
        customer_id,
        count(*) as orders,
        sum(order_total_reporting) as lifetime_revenue,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at,
        sum(case when purchase_channel = 'store' then 1 else 0 end) as store_orders,
        sum(case when purchase_channel in ('web', 'app') then 1 else 0 end) as online_orders
    from orders
    group by customer_id
),

channel_counts as (
    select
        customer_id,
        purchase_channel,
        count(*) as channel_orders,
        max(ordered_at) as last_channel_order_at
    from orders
    group by customer_id, purchase_channel
),

preferred_channels as (
    select
        customer_id,
        purchase_channel as preferred_channel,
        row_number() over (
            partition by customer_id
            order by channel_orders desc, last_channel_order_at desc, purchase_channel asc
        ) as channel_rank
    from channel_counts
),

with_gaps as (
    select
        per_customer.*,
        {{ dbt.datediff('per_customer.first_order_at', 'per_customer.last_order_at', 'day') }}
        / nullif(per_customer.orders - 1.0, 0) as average_days_between_orders,
        {{ dbt.datediff('per_customer.last_order_at', cdp.as_of_timestamp(), 'day') }}
            as days_since_last_purchase
    from per_customer
),

typical_gap as (
    select coalesce(median(average_days_between_orders), 90) as median_days_between_orders
    from with_gaps
    where average_days_between_orders > 0
),

final as (
    select
        with_gaps.customer_id,
        with_gaps.orders,
        with_gaps.store_orders,
        with_gaps.online_orders,
        cast(with_gaps.lifetime_revenue as decimal(18, 2)) as lifetime_revenue,
        {{ cdp.money_ratio("with_gaps.lifetime_revenue", "with_gaps.orders") }} as average_order_value,
        with_gaps.average_days_between_orders,
        with_gaps.days_since_last_purchase,
        preferred_channels.preferred_channel,
        {{ cdp.quintile('with_gaps.last_order_at') }} as recency_score,
        {{ cdp.quintile('with_gaps.orders') }} as frequency_score,
        {{ cdp.quintile('with_gaps.lifetime_revenue') }} as monetary_score,
        cast(
            least(
                1.0,
                greatest(0.0, with_gaps.days_since_last_purchase)
                / (2.0 * greatest(1.0, coalesce(
                    nullif(with_gaps.average_days_between_orders, 0), typical_gap.median_days_between_orders
                )))
            ) as decimal(4, 3)
        ) as churn_risk_score,
        with_gaps.first_order_at,
        with_gaps.last_order_at
    from with_gaps
    cross join typical_gap
    inner join preferred_channels
        on
            with_gaps.customer_id = preferred_channels.customer_id
            and preferred_channels.channel_rank = 1
)

select * from final
