-- One row per order (latest version); guest checkouts carry only the contact email and phone.
-- Identifiers and names are normalised once per distinct raw value (the *_values CTEs) and joined back.
{{
    config(
        materialized='incremental',
        unique_key='order_id',
        incremental_strategy=cdp.incremental_strategy(),
        on_schema_change='append_new_columns',
    )
}}

with

source as (
    select * from {{ source('shop', 'orders') }}
    {{ cdp.only_new_loads() }}
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

country_values as (
    {{ cdp.normalized_distinct(
        'latest', 'billing_country_raw', 'country', 'billing_country_code', 'billing_country_rejection_reason'
    ) }}
),

with_country as (
    select
        latest.*,
        country_values.billing_country_code,
        country_values.billing_country_rejection_reason,
        coalesce(country_values.billing_country_code, '{{ var("default_phone_country") }}') as phone_country
    from latest
    left join country_values
        on latest.billing_country_raw = country_values.billing_country_raw
),

email_values as (
    {{ cdp.normalized_distinct('with_country', 'email_raw', 'email', 'email', 'email_rejection_reason') }}
),

phone_values as (
    {{ cdp.normalized_distinct(
        'with_country', 'phone_raw', 'phone', 'phone_e164', 'phone_rejection_reason', default_country='phone_country'
    ) }}
),

first_name_values as (
    {{ cdp.normalized_distinct(
        'with_country', 'billing_first_name_raw', 'name', 'billing_first_name', 'billing_first_name_rejection_reason'
    ) }}
),

last_name_values as (
    {{ cdp.normalized_distinct(
        'with_country', 'billing_last_name_raw', 'name', 'billing_last_name', 'billing_last_name_rejection_reason'
    ) }}
),

normalized as (
    select
        with_country.order_id,
        'shop' as source,
        with_country.shop_customer_id,
        with_country.checkout_id,
        email_values.email,
        email_values.email_rejection_reason,
        phone_values.phone_e164,
        phone_values.phone_rejection_reason,
        first_name_values.billing_first_name,
        last_name_values.billing_last_name,
        with_country.billing_country_code,
        with_country.billing_country_rejection_reason,
        upper(trim(with_country.billing_postal_code_raw)) as billing_postal_code,
        with_country.sales_channel,
        with_country.financial_status,
        with_country.currency,
        with_country.order_total,
        with_country.shop_customer_id is null as is_guest_checkout,
        with_country.cancelled_at is not null as is_cancelled,
        with_country.ordered_at,
        with_country.cancelled_at,
        with_country.updated_at,
        with_country._loaded_at
    from with_country
    left join email_values
        on with_country.email_raw = email_values.email_raw
    left join phone_values
        on
            with_country.phone_raw = phone_values.phone_raw
            and with_country.phone_country = phone_values.default_country
    left join first_name_values
        on with_country.billing_first_name_raw = first_name_values.billing_first_name_raw
    left join last_name_values
        on with_country.billing_last_name_raw = last_name_values.billing_last_name_raw
)

select * from normalized
where {{ cdp.not_yet_loaded('normalized', 'order_id', 'updated_at') }}
