-- One row per till transaction, with the store-local time converted to UTC.
{{
    config(
        materialized='incremental',
        unique_key='transaction_id',
        incremental_strategy=cdp.incremental_strategy(),
        on_schema_change='append_new_columns',
    )
}}
with

source as (
    select * from {{ source('pos', 'transactions') }}
    {{ cdp.only_new_loads() }}
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

store_country_values as (
    {{ cdp.normalized_distinct(
        'latest', 'store_country', 'country', 'store_country_code', 'store_country_rejection_reason'
    ) }}
),

with_country as (
    select
        latest.*,
        coalesce(store_country_values.store_country_code, '{{ var("default_phone_country") }}') as store_country_code
    from latest
    left join store_country_values
        on latest.store_country = store_country_values.store_country
),

card_values as (
    {{ cdp.normalized_distinct(
        'with_country', 'loyalty_card_number', 'card', 'loyalty_card_id', 'loyalty_card_rejection_reason'
    ) }}
),

-- Phones typed at the till without a country code belong to the store's country.
phone_values as (
    {{ cdp.normalized_distinct(
        'with_country', 'customer_phone', 'phone', 'phone_e164', 'phone_rejection_reason',
        default_country='store_country_code'
    ) }}
),

normalized as (
    select
        with_country.transaction_id,
        'pos' as source,
        with_country.store_id,
        with_country.store_country_code,
        with_country.store_timezone,
        card_values.loyalty_card_id,
        card_values.loyalty_card_rejection_reason,
        phone_values.phone_e164,
        phone_values.phone_rejection_reason,
        upper(with_country.currency) as currency,
        cast(with_country.total_amount as decimal(18, 2)) as transaction_total,
        {{ cdp.local_to_utc('with_country.transacted_at_local', 'with_country.store_timezone') }} as transacted_at,
        with_country._loaded_at
    from with_country
    left join card_values
        on with_country.loyalty_card_number = card_values.loyalty_card_number
    left join phone_values
        on
            with_country.customer_phone = phone_values.customer_phone
            and with_country.store_country_code = phone_values.default_country
)

select * from normalized
where {{ cdp.not_yet_loaded('normalized', 'transaction_id') }}
