-- Started a checkout in the last segment_cart_abandonment_days days, did not complete it, and has not
-- bought anything since on any device or channel: a cart left on the phone and bought on the laptop, or in
-- store, is not abandoned, because identity resolution made both the same customer.
with

checkouts as (
    select * from {{ ref('stg_shop__checkouts') }}
),

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
    where customer_id is not null and not is_cancelled
),

customers as (
    select * from {{ ref('dim_customers') }}
),

fx as (
    select * from {{ ref('fx_rates') }}
),

abandoned_checkouts as (
    select
        customer_ids.customer_id,
        checkouts.checkout_id,
        checkouts.device_type,
        {{ cdp.reporting_amount('checkouts.cart_total') }} as cart_total_reporting,
        checkouts.started_at
    from checkouts
    inner join customer_ids
        on {{ cdp.identity_record_key('shop', 'checkouts', 'checkouts.checkout_id') }} = customer_ids.record_key
    left join fx
        on checkouts.currency = fx.currency
    where
        not checkouts.is_completed
        and checkouts.started_at
        >= {{ dbt.dateadd('day', -var('segment_cart_abandonment_days'), cdp.as_of_timestamp()) }}
),

latest_purchases as (
    select
        customer_id,
        max(ordered_at) as last_order_at
    from orders
    group by customer_id
),

still_abandoned as (
    select
        abandoned_checkouts.*,
        row_number() over (
            partition by abandoned_checkouts.customer_id
            order by abandoned_checkouts.started_at desc, abandoned_checkouts.checkout_id desc
        ) as recency_rank
    from abandoned_checkouts
    left join latest_purchases
        on abandoned_checkouts.customer_id = latest_purchases.customer_id
    where
        latest_purchases.last_order_at is null
        or latest_purchases.last_order_at < abandoned_checkouts.started_at
),

final as (
    select
        still_abandoned.customer_id,
        'cart_abandoners' as segment,
        still_abandoned.started_at as entered_at,
        {{ dbt.concat([
            "'abandoned checkout '",
            "still_abandoned.checkout_id",
            "' on '",
            "coalesce(still_abandoned.device_type, 'unknown device')",
        ]) }}
            as reason,
        cast(still_abandoned.cart_total_reporting as double) as reason_metric
    from still_abandoned
    inner join customers
        on still_abandoned.customer_id = customers.customer_id
    where still_abandoned.recency_rank = 1
)

select * from final
