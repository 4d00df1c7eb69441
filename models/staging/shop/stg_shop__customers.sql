-- One row per shop account: the latest version of each, harmonised to the canonical schema.
-- Identifiers and names are normalised once per distinct raw value (the *_values CTEs) and joined back.
{{
    config(
        materialized='incremental',
        unique_key='shop_customer_id',
        incremental_strategy=cdp.incremental_strategy(),
        on_schema_change='append_new_columns',
    )
}}

with

source as (
    select * from {{ source('shop', 'customers') }}
    {{ cdp.only_new_loads() }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as shop_customer_id,
        email as email_raw,
        phone as phone_raw,
        first_name as first_name_raw,
        last_name as last_name_raw,
        country as country_raw,
        zip as postal_code_raw,
        state as account_state,
        accepts_email_marketing,
        accepts_sms_marketing,
        {{ cdp.iso8601_to_utc('email_marketing_consent_updated_at') }} as email_consent_updated_at,
        {{ cdp.iso8601_to_utc('sms_marketing_consent_updated_at') }} as sms_consent_updated_at,
        {{ cdp.iso8601_to_utc('created_at') }} as created_at,
        {{ cdp.iso8601_to_utc('updated_at') }} as updated_at,
        _loaded_at
    from source
),

versions as (
    select
        *,
        row_number() over (
            partition by shop_customer_id
            order by updated_at desc nulls last, _loaded_at desc
        ) as version_rank
    from renamed
),

latest as (
    select * from versions
    where version_rank = 1
),

country_values as (
    {{ cdp.normalized_distinct('latest', 'country_raw', 'country', 'country_code', 'country_rejection_reason') }}
),

with_country as (
    select
        latest.*,
        country_values.country_code,
        country_values.country_rejection_reason,
        coalesce(country_values.country_code, '{{ var("default_phone_country") }}') as phone_country
    from latest
    left join country_values
        on latest.country_raw = country_values.country_raw
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
    {{ cdp.normalized_distinct('with_country', 'first_name_raw', 'name', 'first_name', 'first_name_rejection_reason') }}
),

last_name_values as (
    {{ cdp.normalized_distinct('with_country', 'last_name_raw', 'name', 'last_name', 'last_name_rejection_reason') }}
),

normalized as (
    select
        with_country.shop_customer_id,
        'shop' as source,
        email_values.email,
        email_values.email_rejection_reason,
        phone_values.phone_e164,
        phone_values.phone_rejection_reason,
        first_name_values.first_name,
        first_name_values.first_name_rejection_reason,
        last_name_values.last_name,
        last_name_values.last_name_rejection_reason,
        with_country.country_code,
        with_country.country_rejection_reason,
        upper(trim(with_country.postal_code_raw)) as postal_code,
        lower(with_country.account_state) as account_state,
        with_country.accepts_email_marketing,
        with_country.accepts_sms_marketing,
        with_country.email_consent_updated_at,
        with_country.sms_consent_updated_at,
        with_country.created_at,
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
        on with_country.first_name_raw = first_name_values.first_name_raw
    left join last_name_values
        on with_country.last_name_raw = last_name_values.last_name_raw
)

select * from normalized
where {{ cdp.not_yet_loaded('normalized', 'shop_customer_id', 'updated_at') }}
