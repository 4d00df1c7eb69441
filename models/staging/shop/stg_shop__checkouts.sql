-- One row per checkout (latest version); completed_at stays NULL while the cart is abandoned.
with

source as (
    select * from {{ source('shop', 'checkouts') }}
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

normalized as (
    select
        checkout_id,
        'shop' as source,
        checkout_token,
        shop_customer_id,
        {{ cdp.normalize_email('email_raw') }} as email,
        {{ cdp.email_rejection_reason('email_raw') }} as email_rejection_reason,
        {{ cdp.normalize_phone('phone_raw', "'" ~ var('default_phone_country') ~ "'") }} as phone_e164,
        {{ cdp.phone_rejection_reason('phone_raw', "'" ~ var('default_phone_country') ~ "'") }}
            as phone_rejection_reason,
        device_type,
        currency,
        cart_total,
        completed_at is not null as is_completed,
        started_at,
        updated_at,
        completed_at,
        _loaded_at
    from latest
)

select * from normalized
