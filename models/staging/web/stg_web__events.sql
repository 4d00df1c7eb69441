-- One row per web event. Delivery is at least once: a redelivered message_id keeps its first delivery.
with

source as (
    select * from {{ source('web', 'events') }}
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

normalized as (
    select
        message_id as event_id,
        'web' as source,
        nullif(trim(anonymous_id), '') as anonymous_id,
        nullif(trim(user_id), '') as shop_customer_id,
        lower(type) as event_type,
        coalesce(event, lower(type)) as event_name,
        {{ cdp.normalize_email('email') }} as email,
        {{ cdp.email_rejection_reason('email') }} as email_rejection_reason,
        page_url,
        lower(device_type) as device_type,
        lower(product_category) as product_category,
        ads_consent,
        {{ cdp.iso8601_to_utc('original_timestamp') }} as occurred_at,
        received_at,
        _loaded_at
    from first_delivery
)

select * from normalized
