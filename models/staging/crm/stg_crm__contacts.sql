-- One row per CRM contact (latest version). Duplicate contacts of one person stay separate rows here;
-- identity resolution links them.
with

source as (
    select * from {{ source('crm', 'contacts') }}
),

renamed as (
    select
        cast(vid as {{ dbt.type_string() }}) as crm_contact_id,
        email as email_raw,
        phone as phone_raw,
        firstname as first_name_raw,
        lastname as last_name_raw,
        country as country_raw,
        zip as postal_code_raw,
        nullif(trim(company), '') as company_name,
        nullif(trim(jobtitle), '') as job_title,
        lower(lifecyclestage) as lifecycle_stage,
        {{ cdp.epoch_ms_to_utc('createdate') }} as created_at,
        {{ cdp.epoch_ms_to_utc('lastmodifieddate') }} as updated_at,
        _loaded_at
    from source
),

versions as (
    select
        *,
        row_number() over (
            partition by crm_contact_id
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
        crm_contact_id,
        'crm' as source,
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
        upper(trim(postal_code_raw)) as postal_code,
        company_name,
        job_title,
        lifecycle_stage,
        created_at,
        updated_at,
        _loaded_at
    from with_country
)

select * from normalized
