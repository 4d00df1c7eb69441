-- One row per checkout (latest version); completed_at stays NULL while the cart is abandoned.
{{
    config(
        materialized='incremental',
        unique_key='checkout_id',
        incremental_strategy=cdp.incremental_strategy(),
        on_schema_change='append_new_columns',
    )
}}
with

source as (
    select * from {{ source('shop', 'checkouts') }}
    {{ cdp.only_new_loads() }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as checkout_id,
        token as checkout_token,
        cast(customer_id as {{ dbt.type_string() }}) as shop_customer_id,
        email as email_raw,
        phone as phone_raw,
        lower(device_type) as device_type,
        upper(currency) as currency,
        {{ cdp.parse_decimal('total_price', 18, 2) }} as cart_total,
        {{ cdp.iso8601_to_utc('created_at') }} as started_at,
        {{ cdp.iso8601_to_utc('updated_at') }} as updated_at,
        {{ cdp.iso8601_to_utc('completed_at') }} as completed_at,
        _loaded_at
    from source
),

versions as (
    select
        *,
        row_number() over (
            partition by checkout_id
            order by updated_at desc nulls last, _loaded_at desc
        ) as version_rank
    from renamed
),

latest as (
    select * from versions
    where version_rank = 1
),

email_values as (
    {{ cdp.normalized_distinct('latest', 'email_raw', 'email', 'email', 'email_rejection_reason') }}
),

-- A checkout records no country: phones without a country code are read with the project default.
phone_values as (
    {{ cdp.normalized_distinct(
        'latest', 'phone_raw', 'phone', 'phone_e164', 'phone_rejection_reason',
        default_country="'" ~ var('default_phone_country') ~ "'"
    ) }}
),

normalized as (
    select
        latest.checkout_id,
        'shop' as source,
        latest.checkout_token,
        latest.shop_customer_id,
        email_values.email,
        email_values.email_rejection_reason,
        phone_values.phone_e164,
        phone_values.phone_rejection_reason,
        latest.device_type,
        latest.currency,
        latest.cart_total,
        latest.completed_at is not null as is_completed,
        latest.started_at,
        latest.updated_at,
        latest.completed_at,
        latest._loaded_at
    from latest
    left join email_values
        on latest.email_raw = email_values.email_raw
    left join phone_values
        on latest.phone_raw = phone_values.phone_raw
)

select * from normalized
where {{ cdp.not_yet_loaded('normalized', 'checkout_id', 'updated_at') }}
