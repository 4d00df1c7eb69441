-- One row per app event. Delivery is at least once: a redelivered event_id keeps its first delivery.
{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy=cdp.incremental_strategy(),
        on_schema_change='append_new_columns',
    )
}}
with

source as (
    select * from {{ source('app', 'events') }}
    {{ cdp.only_new_loads() }}
),

deliveries as (
    select
        *,
        row_number() over (partition by event_id order by _loaded_at asc) as delivery_rank
    from source
),

first_delivery as (
    select * from deliveries
    where delivery_rank = 1
),

normalized as (
    select
        event_id,
        'app' as source,
        nullif(trim(device_id), '') as device_id,
        nullif(trim(user_id), '') as shop_customer_id,
        lower(event_name) as event_name,
        lower(platform) as platform,
        app_version,
        lower(product_category) as product_category,
        {{ cdp.epoch_seconds_to_utc('event_ts') }} as occurred_at,
        _loaded_at
    from first_delivery
)

select * from normalized
where {{ cdp.not_yet_loaded('normalized', 'event_id') }}
