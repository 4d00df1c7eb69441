-- One row per CRM contact (latest version). Duplicate contacts of one person stay separate rows here;
-- identity resolution links them.
{{
    config(
        materialized='incremental',
        unique_key='crm_contact_id',
        incremental_strategy=cdp.incremental_strategy(),
        on_schema_change='append_new_columns',
    )
}}
with

source as (
    select * from {{ source('crm', 'contacts') }}
    {{ cdp.only_new_loads() }}
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
        with_country.crm_contact_id,
        'crm' as source,
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
        with_country.company_name,
        with_country.job_title,
        with_country.lifecycle_stage,
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
where {{ cdp.not_yet_loaded('normalized', 'crm_contact_id', 'updated_at') }}
