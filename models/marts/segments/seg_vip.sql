-- The best customers: the top segment_vip_revenue_share of purchasers by lifetime revenue, and every
-- platinum loyalty member.
with

customers as (
    select * from {{ ref('dim_customers') }}
),

ranked as (
    select
        *,
        case
            when is_purchaser
                then percent_rank() over (partition by is_purchaser order by lifetime_revenue desc)
        end as revenue_rank_share
    from customers
),

final as (
    select
        customer_id,
        'vip' as segment,
        last_order_at as entered_at,
        case
            when coalesce(revenue_rank_share, 1) < {{ var('segment_vip_revenue_share') }}
                then {{ dbt.concat(["'top spender: '", dbt.cast("lifetime_revenue", dbt.type_string())]) }}
            else 'platinum loyalty member'
        end as reason,
        cast(lifetime_revenue as double) as reason_metric
    from ranked
    where
        coalesce(revenue_rank_share, 1) < {{ var('segment_vip_revenue_share') }}
        or loyalty_tier = 'platinum'
)

select * from final
