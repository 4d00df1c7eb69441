-- Every purchase, online (shop orders, web and app) and in store (POS transactions), keyed by customer.
-- Amounts are kept in the order currency and converted to the reporting currency (fx_rates seed).
-- customer_id is NULL for purchases nobody can be identified for (cash without card or phone).
-- Built incrementally: a run rewrites the orders that landed again (a new version, or a line of theirs),
-- whose record changed customer (the change log, cdp.changed_records, since the newest _written_at), or whose
-- currency's rate changed in fx_rates. A table from before the watermark columns, or a change log that cannot
-- tell, rewrites every order. A forgotten customer's orders are deleted.
{{ config(
    materialized='incremental',
    unique_key='order_id',
    incremental_strategy=cdp.incremental_strategy(),
    on_schema_change='append_new_columns',
    post_hook=[
        "{{ cdp.delete_rows(this, 'customer_id in (select customer_id from ' ~ ref('int_privacy_deleted_customers') ~ ')') if is_incremental() else '' }}",
    ],
) }}
{#- Per source: the newest load of an order and of a line written here, and when the last run wrote. -#}
{%- set loaded = {} %}  {#- (source, orders | lines) -> filter of the rows loaded since -#}
{%- set written = none %}
{%- if execute and is_incremental() and '_lines_loaded_at' in cdp.column_names(this) %}
{%- set marks = run_query(
    'select source, max(_loaded_at), max(_lines_loaded_at), max(_written_at) from ' ~ this ~ ' group by source'
) %}
{%- for row in marks.rows %}
{%- do loaded.update({
    (row[0], 'orders'): ' where _loaded_at > ' ~ cdp.timestamp_literal(row[1]) if row[1] is not none else '',
    (row[0], 'lines'): ' where _loaded_at > ' ~ cdp.timestamp_literal(row[2]) if row[2] is not none else '',
}) %}
{%- endfor %}
{%- set written = marks.columns[3].values() | max if marks.rows else none %}
{%- endif %}
{%- set changed_records = cdp.changed_records(written) %}
{%- set pick = changed_records is not none %}
-- depends_on: {{ ref('int_customer_changes') }}

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

{% if not is_incremental() -%}
deleted_customers as (
    select * from {{ ref('int_privacy_deleted_customers') }}
),

{% endif -%}
fx as (
    select * from {{ ref('fx_rates') }}
),

{% if pick -%}
-- The orders to write again: landed since (the order or one of its lines), moved to another customer, or
-- priced at a rate that changed.
changed_records as (
    {{ changed_records }}
),

orders_to_write as (
    select order_id as source_order_id, 'shop' as source from shop_orders{{ loaded.get(('shop', 'orders'), '') }}
    union
    select order_id, 'shop' from shop_order_lines{{ loaded.get(('shop', 'lines'), '') }}
    union
    select transaction_id, 'pos' from pos_transactions{{ loaded.get(('pos', 'orders'), '') }}
    union
    select transaction_id, 'pos' from pos_transaction_lines{{ loaded.get(('pos', 'lines'), '') }}
    union
    select order_id, 'shop' from shop_orders
    {{ cdp.changed_records_filter(changed_records, 'shop', 'orders', 'order_id', 'changed_records') }}
    union
    select transaction_id, 'pos' from pos_transactions
    {{ cdp.changed_records_filter(changed_records, 'pos', 'transactions', 'transaction_id', 'changed_records') }}
    union
    select stored.source_order_id, stored.source
    from {{ this }} as stored
    left join fx
        on stored.currency = fx.currency
    where coalesce(stored.rate_to_reporting_currency, -1) != coalesce(fx.rate_to_reporting_currency, -1)
),

shop_orders_to_write as (
    select * from shop_orders
    where order_id in (select source_order_id from orders_to_write where source = 'shop')
),

pos_transactions_to_write as (
    select * from pos_transactions
    where transaction_id in (select source_order_id from orders_to_write where source = 'pos')
),
{%- else %}
shop_orders_to_write as (
    select * from shop_orders
),

pos_transactions_to_write as (
    select * from pos_transactions
),
{%- endif %}

shop_line_counts as (
    select
        order_id,
        cast(sum(quantity) as {{ dbt.type_bigint() }}) as units,
        max(_loaded_at) as lines_loaded_at
    from shop_order_lines
    {%- if pick %}
    where order_id in (select order_id from shop_orders_to_write)
    {%- endif %}
    group by order_id
),

pos_line_counts as (
    select
        transaction_id,
        cast(sum(quantity) as {{ dbt.type_bigint() }}) as units,
        max(_loaded_at) as lines_loaded_at
    from pos_transaction_lines
    {%- if pick %}
    where transaction_id in (select transaction_id from pos_transactions_to_write)
    {%- endif %}
    group by transaction_id
),

online as (
    select
        {{ dbt.concat(["'shop:'", "shop_orders_to_write.order_id"]) }} as order_id,
        shop_orders_to_write.order_id as source_order_id,
        {{ cdp.identity_record_key('shop', 'orders', 'shop_orders_to_write.order_id') }} as record_key,
        'shop' as source,
        case when shop_orders_to_write.sales_channel in ('iphone', 'android') then 'app' else 'web' end
            as purchase_channel,
        cast(null as {{ dbt.type_string() }}) as store_id,
        shop_orders_to_write.currency,
        shop_orders_to_write.financial_status,
        shop_orders_to_write.order_total,
        shop_line_counts.units,
        shop_orders_to_write.is_guest_checkout,
        shop_orders_to_write.is_cancelled,
        shop_orders_to_write.ordered_at,
        shop_orders_to_write._loaded_at,
        shop_line_counts.lines_loaded_at
    from shop_orders_to_write
    left join shop_line_counts
        on shop_orders_to_write.order_id = shop_line_counts.order_id
),

in_store as (
    select
        {{ dbt.concat(["'pos:'", "pos_transactions_to_write.transaction_id"]) }} as order_id,
        pos_transactions_to_write.transaction_id as source_order_id,
        {{ cdp.identity_record_key('pos', 'transactions', 'pos_transactions_to_write.transaction_id') }}
            as record_key,
        'pos' as source,
        'store' as purchase_channel,
        pos_transactions_to_write.store_id,
        pos_transactions_to_write.currency,
        'paid' as financial_status,
        pos_transactions_to_write.transaction_total as order_total,
        pos_line_counts.units,
        pos_transactions_to_write.loyalty_card_id is null and pos_transactions_to_write.phone_e164 is null
            as is_guest_checkout,
        false as is_cancelled,
        pos_transactions_to_write.transacted_at as ordered_at,
        pos_transactions_to_write._loaded_at,
        pos_line_counts.lines_loaded_at
    from pos_transactions_to_write
    left join pos_line_counts
        on pos_transactions_to_write.transaction_id = pos_line_counts.transaction_id
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
        cast(orders.ordered_at as date) as order_date,
        fx.rate_to_reporting_currency,
        orders._loaded_at,
        orders.lines_loaded_at as _lines_loaded_at,
        {{ cdp.run_timestamp() }} as _written_at
    from orders
    left join customer_ids
        on orders.record_key = customer_ids.record_key
    left join fx
        on orders.currency = fx.currency
    {#- An incremental run writes a forgotten customer's orders too, and the post-hook deletes them: an order
        re-keyed to such a customer must replace its row, not leave it with the customer it had. #}
    {%- if not is_incremental() %}
    left join deleted_customers
        on customer_ids.customer_id = deleted_customers.customer_id
    where deleted_customers.customer_id is null
    {%- endif %}
)

select * from final
