-- Bought anything, online or in store, in the last segment_recent_purchase_days days. Ads and win-back
-- campaigns use it as a suppression list.
with

customers as (
    select * from {{ ref('dim_customers') }}
),

final as (
    select
        customer_id,
        'recent_purchasers' as segment,
        last_order_at as entered_at,
        {{ dbt.concat(["'last purchase '", dbt.cast("days_since_last_purchase", dbt.type_string()), "' days ago'"]) }}
            as reason,
        cast(days_since_last_purchase as double) as reason_metric
    from customers
    where
        is_purchaser
        and last_order_at >= {{ dbt.dateadd('day', -var('segment_recent_purchase_days'), cdp.as_of_timestamp()) }}
)

select * from final
