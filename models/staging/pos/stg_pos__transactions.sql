-- One row per till transaction, with the store-local time converted to UTC.
with

source as (
    select * from {{ source('pos', 'transactions') }}
),

deliveries as (
    select
        *,
        row_number() over (partition by transaction_id order by _loaded_at desc) as version_rank
    from source
),

latest as (
    select * from deliveries
    where version_rank = 1
),

with_country as (
    select
        *,
        coalesce(
            {{ cdp.normalize_country('store_country') }}, '{{ var("default_phone_country") }}'
        ) as store_country_code
    from latest
),

normalized as (
    select
        transaction_id,
        'pos' as source,
        store_id,
        store_country_code,
        store_timezone,
        {{ cdp.normalize_card_number('loyalty_card_number') }} as loyalty_card_id,
        {{ cdp.card_number_rejection_reason('loyalty_card_number') }} as loyalty_card_rejection_reason,
        {{ cdp.normalize_phone('customer_phone', 'store_country_code') }} as phone_e164,
        {{ cdp.phone_rejection_reason('customer_phone', 'store_country_code') }} as phone_rejection_reason,
        upper(currency) as currency,
        cast(total_amount as decimal(18, 2)) as transaction_total,
        {{ cdp.local_to_utc('transacted_at_local', 'store_timezone') }} as transacted_at,
        _loaded_at
    from with_country
)

select * from normalized
