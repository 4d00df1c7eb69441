-- One row per ESP engagement event. Delivery is at least once: a redelivered id keeps its first delivery.
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
    select * from {{ source('esp', 'events') }}
    {{ cdp.only_new_loads() }}
),

deliveries as (
    select
        *,
        row_number() over (partition by id order by _loaded_at asc) as delivery_rank
    from source
),

first_delivery as (
    select
        id as event_id,
        profile_id as esp_profile_id,
        'esp' as source,
        lower(replace(metric, ' ', '_')) as event_name,
        lower(channel) as channel,
        campaign_id,
        {{ cdp.iso8601_to_utc('event_time') }} as occurred_at,
        _loaded_at
    from deliveries
    where delivery_rank = 1
)

select * from first_delivery
where {{ cdp.not_yet_loaded('first_delivery', 'event_id') }}
