-- Repeat buyers whose silence is now well past their usual rhythm (churn_risk_score at or above
-- segment_churn_risk_threshold) but who have not yet lapsed for good.
with

customers as (
    select * from {{ ref('dim_customers') }}
),

final as (
    select
        customer_id,
        'churn_risk' as segment,
        last_order_at as entered_at,
        {{ dbt.concat(["'churn risk '", dbt.cast("churn_risk_score", dbt.type_string())]) }} as reason,
        cast(churn_risk_score as double) as reason_metric
    from customers
    where
        orders >= 2
        and churn_risk_score >= {{ var('segment_churn_risk_threshold') }}
        and days_since_last_purchase < {{ var('segment_lapsed_days') }} * 2
)

select * from final
