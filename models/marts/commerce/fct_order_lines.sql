-- Every line of every purchase, online and in store, with its customer and product category.
with

orders as (
    select * from {{ ref('fct_orders') }}
),

shop_order_lines as (
    select * from {{ ref('stg_shop__order_lines') }}
),

pos_transaction_lines as (
    select * from {{ ref('stg_pos__transaction_lines') }}
),

fx as (
    select * from {{ ref('fx_rates') }}
),

lines as (
    select
        {{ dbt.concat(["'shop:'", "order_line_id"]) }} as order_line_id,
        {{ dbt.concat(["'shop:'", "order_id"]) }} as order_id,
        sku,
        product_category,
        quantity,
        unit_price
    from shop_order_lines
    union all
    select
        {{ dbt.concat(["'pos:'", "transaction_line_id"]) }} as order_line_id,
        {{ dbt.concat(["'pos:'", "transaction_id"]) }} as order_id,
        sku,
        product_category,
        quantity,
        unit_price
    from pos_transaction_lines
),

final as (
    select
        lines.order_line_id,
        lines.order_id,
        orders.customer_id,
        orders.source,
        orders.purchase_channel,
        lines.sku,
        lines.product_category,
        lines.quantity,
        lines.unit_price,
        cast(lines.quantity * lines.unit_price as decimal(18, 2)) as line_total,
        {{ cdp.reporting_amount('lines.quantity * lines.unit_price') }} as line_total_reporting,
        orders.is_revenue,
        orders.ordered_at
    from lines
    inner join orders
        on lines.order_id = orders.order_id
    left join fx
        on orders.currency = fx.currency
)

select * from final
