-- Bought at least twice; entered the segment with their second purchase.
with

orders as (
    select * from {{ ref('fct_orders') }}
    where customer_id is not null and is_revenue
),

customers as (
    select * from {{ ref('dim_customers') }}
),

numbered as (
    select
        customer_id,
        ordered_at,
        row_number() over (partition by customer_id order by ordered_at asc, order_id asc) as purchase_number
    from orders
),

final as (
    select
        numbered.customer_id,
        'repeat_buyers' as segment,
        numbered.ordered_at as entered_at,
        {{ dbt.concat([dbt.cast("customers.orders", dbt.type_string()), "' purchases'"]) }} as reason,
        cast(customers.orders as double) as reason_metric
    from numbered
    inner join customers
        on numbered.customer_id = customers.customer_id
    where numbered.purchase_number = 2
)

select * from final
