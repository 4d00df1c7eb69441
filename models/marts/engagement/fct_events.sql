-- Every behavioural event (web, app, email and SMS engagement) keyed by customer. Append-only, so it is
-- built incrementally: each run adds the events landed since the last one. A late event lands in its own
-- day (occurred_at, not load time); a redelivered event is already collapsed to its first delivery in
-- staging and, by event_id, can never be added twice. Events whose record now belongs to another customer
-- (merges, splits) are re-keyed, from the rows written here, and a forgotten customer's events are deleted.
-- The records to re-key are read from the change log (cdp.changed_records) since the newest _written_at; a
-- table from before that column, or a log that cannot tell, compares every record's customer instead.
{{ config(
    materialized='incremental',
    unique_key='event_id',
    incremental_strategy=cdp.incremental_strategy(),
    on_schema_change='append_new_columns',
    post_hook=[
        "{{ cdp.delete_rows(this, 'customer_id in (select customer_id from ' ~ ref('int_privacy_deleted_customers') ~ ')') if is_incremental() else '' }}",
    ],
) }}
{%- set written = none %}
{%- if execute and is_incremental() and '_written_at' in cdp.column_names(this) %}
{%- set written = run_query('select max(_written_at) from ' ~ this).columns[0].values()[0] %}
{%- endif %}
{%- set changed_records = cdp.changed_records(written) %}
-- depends_on: {{ ref('int_customer_changes') }}

with

web_events as (
    select * from {{ ref('stg_web__events') }}
),

app_events as (
    select * from {{ ref('stg_app__events') }}
),

esp_events as (
    select * from {{ ref('stg_esp__events') }}
),

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
),

{% if not is_incremental() -%}
deleted_customers as (
    select * from {{ ref('int_privacy_deleted_customers') }}
),

{% endif -%}

events as (
    select
        {{ dbt.concat(["'web:'", "event_id"]) }} as event_id,
        {{ cdp.identity_record_key('web', 'events', identifier_columns=['anonymous_id', 'shop_customer_id', 'email']) }}
            as record_key,
        'web' as source,
        'web' as channel,
        event_name,
        device_type,
        product_category,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        occurred_at,
        _loaded_at
    from web_events
    union all
    select
        {{ dbt.concat(["'app:'", "event_id"]) }} as event_id,
        {{ cdp.identity_record_key('app', 'events', identifier_columns=['device_id', 'shop_customer_id']) }}
            as record_key,
        'app' as source,
        'app' as channel,
        event_name,
        'mobile' as device_type,
        product_category,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        occurred_at,
        _loaded_at
    from app_events
    union all
    select
        {{ dbt.concat(["'esp:'", "event_id"]) }} as event_id,
        {{ cdp.identity_record_key('esp', 'profiles', 'esp_profile_id') }} as record_key,
        'esp' as source,
        channel,
        event_name,
        cast(null as {{ dbt.type_string() }}) as device_type,
        cast(null as {{ dbt.type_string() }}) as product_category,
        campaign_id,
        occurred_at,
        _loaded_at
    from esp_events
),

{% if is_incremental() %}
high_water_mark as (
    select max(_loaded_at) as last_loaded_at from {{ this }}
),

-- Records whose customer changed since their events were written (merges, splits, newly resolved).
{%- if changed_records is not none %}
rekeyed_records as (
    {{ changed_records }}
),
{%- else %}
written_customers as (
    select distinct
        record_key,
        customer_id
    from {{ this }}
),

rekeyed_records as (
    select written_customers.record_key
    from written_customers
    left join customer_ids
        on written_customers.record_key = customer_ids.record_key
    where coalesce(written_customers.customer_id, '') != coalesce(customer_ids.customer_id, '')
),
{%- endif %}

new_events as (
    select events.*
    from events
    cross join high_water_mark
    where events._loaded_at > high_water_mark.last_loaded_at
),

-- Their events are read back from this table: a written event changes only by landing again (then it is
-- among the new events), so only the new events' record keys are computed from staging.
rekeyed_events as (
    select
        stored.event_id,
        stored.record_key,
        stored.source,
        stored.channel,
        stored.event_name,
        stored.device_type,
        stored.product_category,
        stored.campaign_id,
        stored.occurred_at,
        stored._loaded_at
    from {{ this }} as stored
    inner join rekeyed_records
        on stored.record_key = rekeyed_records.record_key
    where stored.event_id not in (select new_events.event_id from new_events)
),

events_to_write as (
    select * from new_events
    union all
    select * from rekeyed_events
),
{% else %}
events_to_write as (
    select * from events
),
{% endif %}

final as (
    select
        events_to_write.event_id,
        customer_ids.customer_id,
        events_to_write.record_key,
        events_to_write.source,
        events_to_write.channel,
        events_to_write.event_name,
        events_to_write.device_type,
        events_to_write.product_category,
        events_to_write.campaign_id,
        events_to_write.occurred_at,
        cast(events_to_write.occurred_at as date) as occurred_date,
        events_to_write._loaded_at,
        {{ cdp.run_timestamp() }} as _written_at
    from events_to_write
    left join customer_ids
        on events_to_write.record_key = customer_ids.record_key
    {#- An incremental run writes a forgotten customer's events too, and the post-hook deletes them: an event
        re-keyed to such a customer must replace its row, not leave it with the customer it had. #}
    {%- if not is_incremental() %}
    left join deleted_customers
        on customer_ids.customer_id = deleted_customers.customer_id
    where deleted_customers.customer_id is null
    {%- endif %}
)

select * from final
