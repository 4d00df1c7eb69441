-- One row per consent change recorded by the ESP (subscribe, unsubscribe link, STOP keyword, ...).
{{
    config(
        materialized='incremental',
        unique_key='subscription_change_id',
        incremental_strategy=cdp.incremental_strategy(),
        on_schema_change='append_new_columns',
    )
}}
with

source as (
    select * from {{ source('esp', 'subscriptions') }}
    {{ cdp.only_new_loads() }}
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

email_values as (
    {{ cdp.normalized_distinct('first_delivery', 'email', 'email', 'email_value', 'email_rejection_reason') }}
),

phone_values as (
    {{ cdp.normalized_distinct(
        'first_delivery', 'phone_number', 'phone', 'phone_e164', 'phone_rejection_reason',
        default_country="'" ~ var('default_phone_country') ~ "'"
    ) }}
),

normalized as (
    select
        first_delivery.id as subscription_change_id,
        first_delivery.profile_id as esp_profile_id,
        'esp' as source,
        email_values.email_value as email,
        email_values.email_rejection_reason,
        phone_values.phone_e164,
        phone_values.phone_rejection_reason,
        lower(first_delivery.channel) as channel,
        case upper(first_delivery.consent)
            when 'SUBSCRIBED' then 'granted'
            when 'UNSUBSCRIBED' then 'denied'
        end as consent_status,
        lower(first_delivery.method) as consent_method,
        {{ cdp.iso8601_to_utc('first_delivery.consented_at') }} as consented_at,
        first_delivery._loaded_at
    from first_delivery
    left join email_values
        on first_delivery.email = email_values.email
    left join phone_values
        on first_delivery.phone_number = phone_values.phone_number
)

select * from normalized
where {{ cdp.not_yet_loaded('normalized', 'subscription_change_id') }}
