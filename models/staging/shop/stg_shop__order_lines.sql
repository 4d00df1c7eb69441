-- One row per order line item.
{{
    config(
        materialized='incremental',
        unique_key='order_line_id',
        incremental_strategy=cdp.incremental_strategy(),
        on_schema_change='append_new_columns',
    )
}}
with

source as (
    select * from {{ source('shop', 'order_lines') }}
    {{ cdp.only_new_loads() }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as order_line_id,
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        'shop' as source,
        upper(trim(sku)) as sku,
        trim(title) as product_title,
        lower(trim(product_type)) as product_category,
        quantity,
        {{ cdp.parse_decimal('price', 18, 2) }} as unit_price,
        _loaded_at
    from source
),

versions as (
    select
        *,
        row_number() over (partition by order_line_id order by _loaded_at desc) as version_rank
    from renamed
),

latest as (
    select
        order_line_id,
        order_id,
        product_id,
        source,
        sku,
        product_title,
        product_category,
        quantity,
        unit_price,
        _loaded_at
    from versions
    where version_rank = 1
)

select * from latest
where {{ cdp.not_yet_loaded('latest', 'order_line_id') }}
