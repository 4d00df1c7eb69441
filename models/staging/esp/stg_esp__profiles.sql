-- One row per ESP profile (latest version).
with

source as (
    select * from {{ source('esp', 'profiles') }}
),

renamed as (
    select
        id as esp_profile_id,
        email as email_raw,
        phone_number as phone_raw,
        first_name as first_name_raw,
        last_name as last_name_raw,
        country as country_raw,
        {{ cdp.iso8601_to_utc('created') }} as created_at,
        {{ cdp.iso8601_to_utc('updated') }} as updated_at,
        _loaded_at
    from source
),

versions as (
    select
        *,
        row_number() over (
            partition by esp_profile_id
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
        {{ cdp.normalize_country('country_raw') }} as country_code,
        {{ cdp.country_rejection_reason('country_raw') }} as country_rejection_reason
    from latest
),

normalized as (
    select
        esp_profile_id,
        'esp' as source,
        {{ cdp.normalize_email('email_raw') }} as email,
        {{ cdp.email_rejection_reason('email_raw') }} as email_rejection_reason,
        {{ cdp.normalize_phone('phone_raw', "coalesce(country_code, '" ~ var('default_phone_country') ~ "')") }}
            as phone_e164,
        {{ cdp.phone_rejection_reason('phone_raw', "coalesce(country_code, '" ~ var('default_phone_country') ~ "')") }}
            as phone_rejection_reason,
        {{ cdp.normalize_name('first_name_raw') }} as first_name,
        {{ cdp.name_rejection_reason('first_name_raw') }} as first_name_rejection_reason,
        {{ cdp.normalize_name('last_name_raw') }} as last_name,
        {{ cdp.name_rejection_reason('last_name_raw') }} as last_name_rejection_reason,
        country_code,
        country_rejection_reason,
        created_at,
        updated_at,
        _loaded_at
    from with_country
)

select * from normalized
