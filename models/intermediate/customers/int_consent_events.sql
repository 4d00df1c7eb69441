-- Every explicit marketing-consent choice any source recorded, per channel (email, sms, ads), with the
-- record it came from. Where a source cannot date a choice exactly, an opt-in is dated as early and an
-- opt-out as late as the source allows, so an imprecise opt-in never outranks a real opt-out.
with

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
),

esp_subscriptions as (
    select * from {{ ref('stg_esp__subscriptions') }}
),

loyalty_members as (
    select * from {{ ref('stg_loyalty__members') }}
),

web_events as (
    select * from {{ ref('stg_web__events') }}
    where event_name = 'Consent Updated' and ads_consent is not null
),

shop_email as (
    select
        {{ cdp.identity_record_key('shop', 'customers', 'shop_customer_id') }} as record_key,
        'shop' as source,
        'email' as channel,
        case when accepts_email_marketing then 'granted' else 'denied' end as consent_status,
        email_consent_updated_at as decided_at
    from shop_customers
    where accepts_email_marketing is not null and email_consent_updated_at is not null
),

shop_sms as (
    select
        {{ cdp.identity_record_key('shop', 'customers', 'shop_customer_id') }} as record_key,
        'shop' as source,
        'sms' as channel,
        case when accepts_sms_marketing then 'granted' else 'denied' end as consent_status,
        sms_consent_updated_at as decided_at
    from shop_customers
    where accepts_sms_marketing is not null and sms_consent_updated_at is not null
),

esp_choices as (
    select
        {{ cdp.identity_record_key('esp', 'subscriptions', 'subscription_change_id') }} as record_key,
        'esp' as source,
        channel,
        consent_status,
        consented_at as decided_at
    from esp_subscriptions
    where consent_status is not null
),

-- The loyalty programme keeps only a flag: opt-ins date from enrolment, opt-outs from the last update.
loyalty_sms as (
    select
        {{ cdp.identity_record_key('loyalty', 'members', 'loyalty_member_id') }} as record_key,
        'loyalty' as source,
        'sms' as channel,
        case when accepts_sms_marketing then 'granted' else 'denied' end as consent_status,
        case when accepts_sms_marketing then enrolled_at else updated_at end as decided_at
    from loyalty_members
    where accepts_sms_marketing is not null
),

web_ads as (
    select
        {{ cdp.identity_record_key('web', 'events', identifier_columns=['anonymous_id', 'shop_customer_id', 'email']) }}
            as record_key,
        'web' as source,
        'ads' as channel,
        case when ads_consent then 'granted' else 'denied' end as consent_status,
        occurred_at as decided_at
    from web_events
),

unioned as (
    select * from shop_email
    union all
    select * from shop_sms
    union all
    select * from esp_choices
    union all
    select * from loyalty_sms
    union all
    select * from web_ads
),

final as (
    select * from unioned
    where decided_at is not null
)

select * from final
