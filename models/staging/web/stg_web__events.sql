-- One row per web event. Delivery is at least once: a redelivered message_id keeps its first delivery.
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
    select * from {{ source('web', 'events') }}
    {{ cdp.only_new_loads() }}
),

deliveries as (
    select
        *,
        row_number() over (
            partition by message_id
            order by received_at asc nulls last, _loaded_at asc
        ) as delivery_rank
    from source
),

first_delivery as (
    select * from deliveries
    where delivery_rank = 1
),

email_values as (
    {{ cdp.normalized_distinct('first_delivery', 'email', 'email', 'email_value', 'email_rejection_reason') }}
),

normalized as (
    select
        first_delivery.message_id as event_id,
        'web' as source,
        nullif(trim(first_delivery.anonymous_id), '') as anonymous_id,
        nullif(trim(first_delivery.user_id), '') as shop_customer_id,
        lower(first_delivery.type) as event_type,
        coalesce(first_delivery.event, lower(first_delivery.type)) as event_name,
        email_values.email_value as email,
        email_values.email_rejection_reason,
        first_delivery.page_url,
        lower(first_delivery.device_type) as device_type,
        lower(first_delivery.product_category) as product_category,
        first_delivery.ads_consent,
        {{ cdp.iso8601_to_utc('first_delivery.original_timestamp') }} as occurred_at,
        first_delivery.received_at,
        first_delivery._loaded_at
    from first_delivery
    left join email_values
        on first_delivery.email = email_values.email
)

select * from normalized
where {{ cdp.not_yet_loaded('normalized', 'event_id') }}
