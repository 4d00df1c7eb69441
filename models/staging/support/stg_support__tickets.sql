-- One row per helpdesk ticket (latest version); the requester's one-string name is split in two.
{{
    config(
        materialized='incremental',
        unique_key='ticket_id',
        incremental_strategy=cdp.incremental_strategy(),
        on_schema_change='append_new_columns',
    )
}}
with

source as (
    select * from {{ source('support', 'tickets') }}
    {{ cdp.only_new_loads() }}
),

versions as (
    select
        *,
        row_number() over (
            partition by id
            order by updated_at desc nulls last, _loaded_at desc
        ) as version_rank
    from source
),

latest as (
    select * from versions
    where version_rank = 1
),

-- The one-string requester name is split once per distinct name.
distinct_names as (
    select distinct requester_name
    from latest
    where requester_name is not null
),

name_values as (
    select
        requester_name,
        {{ cdp.split_full_name_first('requester_name') }} as first_name_raw,
        {{ cdp.split_full_name_last('requester_name') }} as last_name_raw
    from distinct_names
),

split_names as (
    select
        latest.*,
        name_values.first_name_raw,
        name_values.last_name_raw
    from latest
    left join name_values
        on latest.requester_name = name_values.requester_name
),

email_values as (
    {{ cdp.normalized_distinct('split_names', 'requester_email', 'email', 'email', 'email_rejection_reason') }}
),

-- A ticket records no country: phones without a country code are read with the project default.
phone_values as (
    {{ cdp.normalized_distinct(
        'split_names', 'requester_phone', 'phone', 'phone_e164', 'phone_rejection_reason',
        default_country="'" ~ var('default_phone_country') ~ "'"
    ) }}
),

first_name_values as (
    {{ cdp.normalized_distinct('split_names', 'first_name_raw', 'name', 'first_name', 'first_name_rejection_reason') }}
),

last_name_values as (
    {{ cdp.normalized_distinct('split_names', 'last_name_raw', 'name', 'last_name', 'last_name_rejection_reason') }}
),

normalized as (
    select
        cast(split_names.id as {{ dbt.type_string() }}) as ticket_id,
        'support' as source,
        email_values.email,
        email_values.email_rejection_reason,
        phone_values.phone_e164,
        phone_values.phone_rejection_reason,
        first_name_values.first_name,
        first_name_values.first_name_rejection_reason,
        last_name_values.last_name,
        last_name_values.last_name_rejection_reason,
        split_names.subject,
        lower(split_names.status) as ticket_status,
        lower(split_names.priority) as ticket_priority,
        lower(split_names.channel) as ticket_channel,
        lower(split_names.status) in ('new', 'open', 'pending') as is_open,
        {{ cdp.tz_to_utc('split_names.created_at') }} as created_at,
        {{ cdp.tz_to_utc('split_names.updated_at') }} as updated_at,
        {{ cdp.tz_to_utc('split_names.solved_at') }} as solved_at,
        split_names._loaded_at
    from split_names
    left join email_values
        on split_names.requester_email = email_values.requester_email
    left join phone_values
        on split_names.requester_phone = phone_values.requester_phone
    left join first_name_values
        on split_names.first_name_raw = first_name_values.first_name_raw
    left join last_name_values
        on split_names.last_name_raw = last_name_values.last_name_raw
)

select * from normalized
where {{ cdp.not_yet_loaded('normalized', 'ticket_id', 'updated_at') }}
