-- Every line of every purchase, online and in store, with its customer and product category.
-- Built incrementally: a run writes again the lines of the orders fct_orders wrote since the newest
-- _written_at here (landed again, moved to another customer, priced at a new rate), from their order's
-- row. A line never outlives its order: the lines of an order gone from fct_orders (a forgotten customer's)
-- are deleted.
{{ config(
    materialized='incremental',
    unique_key='order_line_id',
    incremental_strategy=cdp.incremental_strategy(),
    on_schema_change='append_new_columns',
    post_hook=[
        "{{ cdp.delete_rows(this, 'order_id not in (select order_id from ' ~ ref('fct_orders') ~ ')') if is_incremental() else '' }}",
    ],
) }}
{%- set written = none %}
{%- if execute and is_incremental() and '_written_at' in cdp.column_names(this) %}
{%- set written = run_query('select max(_written_at) from ' ~ this).columns[0].values()[0] %}
{%- endif %}

with

orders as (
    select * from {{ ref('fct_orders') }}
    {%- if written is not none %}
    where _written_at > {{ cdp.timestamp_literal(written) }}
    {%- endif %}
),

shop_order_lines as (
    select * from {{ ref('stg_shop__order_lines') }}
    {%- if written is not none %}
    where order_id in (select source_order_id from orders where source = 'shop')
    {%- endif %}
),

pos_transaction_lines as (
    select * from {{ ref('stg_pos__transaction_lines') }}
    {%- if written is not none %}
    where transaction_id in (select source_order_id from orders where source = 'pos')
    {%- endif %}
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
        {{ cdp.reporting_amount('lines.quantity * lines.unit_price', 'orders.rate_to_reporting_currency') }}
            as line_total_reporting,
        orders.is_revenue,
        orders.ordered_at,
        {{ cdp.run_timestamp() }} as _written_at
    from lines
    inner join orders
        on lines.order_id = orders.order_id
)

select * from final
