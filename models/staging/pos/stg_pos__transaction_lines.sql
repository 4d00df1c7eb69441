-- One row per till transaction line.
{{
    config(
        materialized='incremental',
        unique_key='transaction_line_id',
        incremental_strategy=cdp.incremental_strategy(),
        on_schema_change='append_new_columns',
    )
}}
with

source as (
    select * from {{ source('pos', 'transaction_lines') }}
    {{ cdp.only_new_loads() }}
),

deliveries as (
    select
        *,
        row_number() over (partition by line_id order by _loaded_at desc) as version_rank
    from source
),

latest as (
    select
        line_id as transaction_line_id,
        transaction_id,
        'pos' as source,
        upper(trim(sku)) as sku,
        lower(trim(product_category)) as product_category,
        quantity,
        cast(unit_price as decimal(18, 2)) as unit_price,
        _loaded_at
    from deliveries
    where version_rank = 1
)

select * from latest
where {{ cdp.not_yet_loaded('latest', 'transaction_line_id') }}
