-- One row per loyalty member (latest version).
{{
    config(
        materialized='incremental',
        unique_key='loyalty_member_id',
        incremental_strategy=cdp.incremental_strategy(),
        on_schema_change='append_new_columns',
    )
}}
with

source as (
    select * from {{ source('loyalty', 'members') }}
    {{ cdp.only_new_loads() }}
),

versions as (
    select
        *,
        row_number() over (
            partition by member_id
            order by updated_at desc nulls last, _loaded_at desc
        ) as version_rank
    from source
),

latest as (
    select * from versions
    where version_rank = 1
),

country_values as (
    {{ cdp.normalized_distinct('latest', 'country', 'country', 'country_code', 'country_rejection_reason') }}
),

with_country as (
    select
        latest.*,
        country_values.country_code,
        country_values.country_rejection_reason,
        coalesce(country_values.country_code, '{{ var("default_phone_country") }}') as phone_country
    from latest
    left join country_values
        on latest.country = country_values.country
),

email_values as (
    {{ cdp.normalized_distinct('with_country', 'email', 'email', 'email_value', 'email_rejection_reason') }}
),

phone_values as (
    {{ cdp.normalized_distinct(
        'with_country', 'phone', 'phone', 'phone_e164', 'phone_rejection_reason', default_country='phone_country'
    ) }}
),

first_name_values as (
    {{ cdp.normalized_distinct(
        'with_country', 'first_name', 'name', 'first_name_value', 'first_name_rejection_reason'
    ) }}
),

last_name_values as (
    {{ cdp.normalized_distinct(
        'with_country', 'last_name', 'name', 'last_name_value', 'last_name_rejection_reason'
    ) }}
),

card_values as (
    {{ cdp.normalized_distinct(
        'with_country', 'card_number', 'card', 'loyalty_card_id', 'loyalty_card_rejection_reason'
    ) }}
),

normalized as (
    select
        cast(with_country.member_id as {{ dbt.type_string() }}) as loyalty_member_id,
        'loyalty' as source,
        card_values.loyalty_card_id,
        card_values.loyalty_card_rejection_reason,
        email_values.email_value as email,
        email_values.email_rejection_reason,
        phone_values.phone_e164,
        phone_values.phone_rejection_reason,
        first_name_values.first_name_value as first_name,
        first_name_values.first_name_rejection_reason,
        last_name_values.last_name_value as last_name,
        last_name_values.last_name_rejection_reason,
        with_country.country_code,
        with_country.country_rejection_reason,
        upper(trim(with_country.postal_code)) as postal_code,
        lower(with_country.tier) as loyalty_tier,
        with_country.points_balance,
        with_country.birth_date,
        with_country.sms_opt_in as accepts_sms_marketing,
        with_country.enrolled_at,
        with_country.updated_at,
        with_country._loaded_at
    from with_country
    left join email_values
        on with_country.email = email_values.email
    left join phone_values
        on
            with_country.phone = phone_values.phone
            and with_country.phone_country = phone_values.default_country
    left join first_name_values
        on with_country.first_name = first_name_values.first_name
    left join last_name_values
        on with_country.last_name = last_name_values.last_name
    left join card_values
        on with_country.card_number = card_values.card_number
)

select * from normalized
where {{ cdp.not_yet_loaded('normalized', 'loyalty_member_id', 'updated_at') }}
