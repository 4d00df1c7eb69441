-- Every purchase, online (shop orders, web and app) and in store (POS transactions), keyed by customer.
-- Amounts are kept in the order currency and converted to the reporting currency (fx_rates seed).
-- customer_id is NULL for purchases nobody can be identified for (cash without card or phone).
with

shop_orders as (
    select * from {{ ref('stg_shop__orders') }}
),

pos_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
),

shop_order_lines as (
    select * from {{ ref('stg_shop__order_lines') }}
),

pos_transaction_lines as (
    select * from {{ ref('stg_pos__transaction_lines') }}
),

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
),

deleted_customers as (
    select * from {{ ref('int_privacy_deleted_customers') }}
),

fx as (
    select * from {{ ref('fx_rates') }}
),

shop_line_counts as (
    select
        order_id,
        cast(sum(quantity) as {{ dbt.type_bigint() }}) as units
    from shop_order_lines
    group by order_id
),

pos_line_counts as (
    select
        transaction_id,
        cast(sum(quantity) as {{ dbt.type_bigint() }}) as units
    from pos_transaction_lines
    group by transaction_id
),

online as (
    select
        {{ dbt.concat(["'shop:'", "shop_orders.order_id"]) }} as order_id,
        shop_orders.order_id as source_order_id,
        {{ cdp.identity_record_key('shop', 'orders', 'shop_orders.order_id') }} as record_key,
        'shop' as source,
        case when shop_orders.sales_channel in ('iphone', 'android') then 'app' else 'web' end as purchase_channel,
        cast(null as {{ dbt.type_string() }}) as store_id,
        shop_orders.currency,
        shop_orders.financial_status,
        shop_orders.order_total,
        shop_line_counts.units,
        shop_orders.is_guest_checkout,
        shop_orders.is_cancelled,
        shop_orders.ordered_at
    from shop_orders
    left join shop_line_counts
        on shop_orders.order_id = shop_line_counts.order_id
),

in_store as (
    select
        {{ dbt.concat(["'pos:'", "pos_transactions.transaction_id"]) }} as order_id,
        pos_transactions.transaction_id as source_order_id,
        {{ cdp.identity_record_key('pos', 'transactions', 'pos_transactions.transaction_id') }} as record_key,
        'pos' as source,
        'store' as purchase_channel,
        pos_transactions.store_id,
        pos_transactions.currency,
        'paid' as financial_status,
        pos_transactions.transaction_total as order_total,
        pos_line_counts.units,
        pos_transactions.loyalty_card_id is null and pos_transactions.phone_e164 is null as is_guest_checkout,
        false as is_cancelled,
        pos_transactions.transacted_at as ordered_at
    from pos_transactions
    left join pos_line_counts
        on pos_transactions.transaction_id = pos_line_counts.transaction_id
),

orders as (
    select * from online
    union all
    select * from in_store
),

final as (
    select
        orders.order_id,
        orders.source_order_id,
        customer_ids.customer_id,
        orders.source,
        orders.purchase_channel,
        orders.store_id,
        orders.currency,
        orders.financial_status,
        orders.order_total,
        {{ cdp.reporting_amount('orders.order_total') }} as order_total_reporting,
        orders.units,
        orders.is_guest_checkout,
        orders.is_cancelled,
        orders.financial_status in ('paid', 'partially_refunded') and not orders.is_cancelled as is_revenue,
        orders.ordered_at,
        cast(orders.ordered_at as date) as order_date
    from orders
    left join customer_ids
        on orders.record_key = customer_ids.record_key
    left join fx
        on orders.currency = fx.currency
    left join deleted_customers
        on customer_ids.customer_id = deleted_customers.customer_id
    where deleted_customers.customer_id is null
)

select * from final
