-- Bought exactly once so far: the audience for a second-purchase nudge.
with

customers as (
    select * from {{ ref('dim_customers') }}
),

final as (
    select
        customer_id,
        'first_time_buyers' as segment,
        first_order_at as entered_at,
        {{ dbt.concat(["'one purchase, '", dbt.cast("days_since_last_purchase", dbt.type_string()), "' days ago'"]) }}
            as reason,
        cast(lifetime_revenue as double) as reason_metric
    from customers
    where orders = 1
)

select * from final
