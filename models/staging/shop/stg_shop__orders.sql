-- One row per order (latest version); guest checkouts carry only the contact email and phone.
{%- set phone_country = "coalesce(billing_country_code, '" ~ var('default_phone_country') ~ "')" %}

with

source as (
    select * from {{ source('shop', 'orders') }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as order_id,
        cast(customer_id as {{ dbt.type_string() }}) as shop_customer_id,
        cast(checkout_id as {{ dbt.type_string() }}) as checkout_id,
        email as email_raw,
        phone as phone_raw,
        billing_first_name as billing_first_name_raw,
        billing_last_name as billing_last_name_raw,
        billing_country as billing_country_raw,
        billing_zip as billing_postal_code_raw,
        lower(source_name) as sales_channel,
        lower(financial_status) as financial_status,
        upper(currency) as currency,
        {{ cdp.parse_decimal('total_price', 18, 2) }} as order_total,
        {{ cdp.iso8601_to_utc('created_at') }} as ordered_at,
        {{ cdp.iso8601_to_utc('cancelled_at') }} as cancelled_at,
        {{ cdp.iso8601_to_utc('updated_at') }} as updated_at,
        _loaded_at
    from source
),

versions as (
    select
        *,
        row_number() over (
            partition by order_id
            order by updated_at desc nulls last, _loaded_at desc
        ) as version_rank
    from renamed
),

latest as (
    select * from versions
    where version_rank = 1
),

with_country as (
    select
        *,
        {{ cdp.normalize_country('billing_country_raw') }} as billing_country_code,
        {{ cdp.country_rejection_reason('billing_country_raw') }} as billing_country_rejection_reason
    from latest
),

normalized as (
    select
        order_id,
        'shop' as source,
        shop_customer_id,
        checkout_id,
        {{ cdp.normalize_email('email_raw') }} as email,
        {{ cdp.email_rejection_reason('email_raw') }} as email_rejection_reason,
        {{ cdp.normalize_phone('phone_raw', phone_country) }} as phone_e164,
        {{ cdp.phone_rejection_reason('phone_raw', phone_country) }} as phone_rejection_reason,
        {{ cdp.normalize_name('billing_first_name_raw') }} as billing_first_name,
        {{ cdp.normalize_name('billing_last_name_raw') }} as billing_last_name,
        billing_country_code,
        billing_country_rejection_reason,
        upper(trim(billing_postal_code_raw)) as billing_postal_code,
        sales_channel,
        financial_status,
        currency,
        order_total,
        shop_customer_id is null as is_guest_checkout,
        cancelled_at is not null as is_cancelled,
        ordered_at,
        cancelled_at,
        updated_at,
        _loaded_at
    from with_country
)

select * from normalized
