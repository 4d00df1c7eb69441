-- One row per loyalty member (latest version).
with

source as (
    select * from {{ source('loyalty', 'members') }}
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

with_country as (
    select
        *,
        {{ cdp.normalize_country('country') }} as country_code,
        {{ cdp.country_rejection_reason('country') }} as country_rejection_reason
    from latest
),

normalized as (
    select
        cast(member_id as {{ dbt.type_string() }}) as loyalty_member_id,
        'loyalty' as source,
        {{ cdp.normalize_card_number('card_number') }} as loyalty_card_id,
        {{ cdp.card_number_rejection_reason('card_number') }} as loyalty_card_rejection_reason,
        {{ cdp.normalize_email('email') }} as email,
        {{ cdp.email_rejection_reason('email') }} as email_rejection_reason,
        {{ cdp.normalize_phone('phone', "coalesce(country_code, '" ~ var('default_phone_country') ~ "')") }}
            as phone_e164,
        {{ cdp.phone_rejection_reason('phone', "coalesce(country_code, '" ~ var('default_phone_country') ~ "')") }}
            as phone_rejection_reason,
        {{ cdp.normalize_name('first_name') }} as first_name,
        {{ cdp.name_rejection_reason('first_name') }} as first_name_rejection_reason,
        {{ cdp.normalize_name('last_name') }} as last_name,
        {{ cdp.name_rejection_reason('last_name') }} as last_name_rejection_reason,
        country_code,
        country_rejection_reason,
        upper(trim(postal_code)) as postal_code,
        lower(tier) as loyalty_tier,
        points_balance,
        birth_date,
        sms_opt_in as accepts_sms_marketing,
        enrolled_at,
        updated_at,
        _loaded_at
    from with_country
)

select * from normalized
