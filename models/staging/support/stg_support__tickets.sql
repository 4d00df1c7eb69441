-- One row per helpdesk ticket (latest version); the requester's one-string name is split in two.
with

source as (
    select * from {{ source('support', 'tickets') }}
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

split_names as (
    select
        *,
        {{ cdp.split_full_name_first('requester_name') }} as first_name_raw,
        {{ cdp.split_full_name_last('requester_name') }} as last_name_raw
    from latest
),

normalized as (
    select
        cast(id as {{ dbt.type_string() }}) as ticket_id,
        'support' as source,
        {{ cdp.normalize_email('requester_email') }} as email,
        {{ cdp.email_rejection_reason('requester_email') }} as email_rejection_reason,
        {{ cdp.normalize_phone('requester_phone', "'" ~ var('default_phone_country') ~ "'") }} as phone_e164,
        {{ cdp.phone_rejection_reason('requester_phone', "'" ~ var('default_phone_country') ~ "'") }}
            as phone_rejection_reason,
        {{ cdp.normalize_name('first_name_raw') }} as first_name,
        {{ cdp.name_rejection_reason('first_name_raw') }} as first_name_rejection_reason,
        {{ cdp.normalize_name('last_name_raw') }} as last_name,
        {{ cdp.name_rejection_reason('last_name_raw') }} as last_name_rejection_reason,
        subject,
        lower(status) as ticket_status,
        lower(priority) as ticket_priority,
        lower(channel) as ticket_channel,
        lower(status) in ('new', 'open', 'pending') as is_open,
        {{ cdp.tz_to_utc('created_at') }} as created_at,
        {{ cdp.tz_to_utc('updated_at') }} as updated_at,
        {{ cdp.tz_to_utc('solved_at') }} as solved_at,
        _loaded_at
    from split_names
)

select * from normalized
