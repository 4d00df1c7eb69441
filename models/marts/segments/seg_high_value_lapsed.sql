-- Top-quintile spenders (monetary score 5) who have not bought for segment_lapsed_days days.
with

customers as (
    select * from {{ ref('dim_customers') }}
),

final as (
    select
        customer_id,
        'high_value_lapsed' as segment,
        {{ dbt.dateadd('day', var('segment_lapsed_days'), 'last_order_at') }} as entered_at,
        {{ dbt.concat([
            "'spent '",
            dbt.cast("lifetime_revenue", dbt.type_string()),
            "', last purchase '",
            dbt.cast("days_since_last_purchase", dbt.type_string()),
            "' days ago'",
        ]) }}
            as reason,
        cast(lifetime_revenue as double) as reason_metric
    from customers
    where
        monetary_score = 5
        and days_since_last_purchase >= {{ var('segment_lapsed_days') }}
)

select * from final
