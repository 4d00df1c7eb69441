-- One row per consent change recorded by the ESP (subscribe, unsubscribe link, STOP keyword, ...).
with

source as (
    select * from {{ source('esp', 'subscriptions') }}
),

deliveries as (
    select
        *,
        row_number() over (partition by id order by _loaded_at asc) as delivery_rank
    from source
),

first_delivery as (
    select * from deliveries
    where delivery_rank = 1
),

normalized as (
    select
        id as subscription_change_id,
        profile_id as esp_profile_id,
        'esp' as source,
        {{ cdp.normalize_email('email') }} as email,
        {{ cdp.email_rejection_reason('email') }} as email_rejection_reason,
        {{ cdp.normalize_phone('phone_number', "'" ~ var('default_phone_country') ~ "'") }} as phone_e164,
        {{ cdp.phone_rejection_reason('phone_number', "'" ~ var('default_phone_country') ~ "'") }}
            as phone_rejection_reason,
        lower(channel) as channel,
        case upper(consent)
            when 'SUBSCRIBED' then 'granted'
            when 'UNSUBSCRIBED' then 'denied'
        end as consent_status,
        lower(method) as consent_method,
        {{ cdp.iso8601_to_utc('consented_at') }} as consented_at,
        _loaded_at
    from first_delivery
)

select * from normalized
