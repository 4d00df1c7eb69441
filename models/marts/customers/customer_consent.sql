-- Current marketing consent of every customer on every channel (email, sms, ads). The latest explicit
-- choice across all sources wins; at the same instant an opt-out beats an opt-in, and an opt-out is never
-- overridden by an older opt-in. Without any explicit choice the status is unknown, which activation
-- treats as no consent. Incremental: a run recomputes only the customers whose records changed
-- (cdp.changed_customers).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_changed_customers() }}",
) }}
{%- set changed_customers = cdp.changed_customers() %}

with

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
    {{ cdp.changed_customers_filter(changed_customers) }}
),

customers as (
    select distinct customer_id from customer_ids
),

consent_events as (
    select * from {{ ref('int_consent_events') }}
),

deleted_customers as (
    select * from {{ ref('int_privacy_deleted_customers') }}
),

channels as (
    select 'email' as channel
    union all
    select 'sms' as channel
    union all
    select 'ads' as channel
),

customer_choices as (
    select
        customer_ids.customer_id,
        consent_events.channel,
        consent_events.consent_status,
        consent_events.source,
        consent_events.decided_at,
        row_number() over (
            partition by customer_ids.customer_id, consent_events.channel
            order by
                consent_events.decided_at desc,
                case consent_events.consent_status when 'denied' then 0 else 1 end asc,
                consent_events.source asc,
                consent_events.record_key asc
        ) as recency_rank,
        count(*) over (partition by customer_ids.customer_id, consent_events.channel) as choices
    from consent_events
    inner join customer_ids
        on consent_events.record_key = customer_ids.record_key
),

latest_choices as (
    select * from customer_choices
    where recency_rank = 1
),

final as (
    select
        {{ dbt.concat(["customers.customer_id", "':'", "channels.channel"]) }} as customer_channel_id,
        customers.customer_id,
        channels.channel,
        coalesce(latest_choices.consent_status, 'unknown') as consent_status,
        latest_choices.source as decided_by_source,
        coalesce(latest_choices.choices, 0) as explicit_choices,
        coalesce(latest_choices.consent_status = 'granted', false) as is_granted,
        latest_choices.decided_at,
        {{ cdp.run_timestamp() }} as refreshed_at
    from customers
    cross join channels
    left join latest_choices
        on
            customers.customer_id = latest_choices.customer_id
            and channels.channel = latest_choices.channel
    left join deleted_customers
        on customers.customer_id = deleted_customers.customer_id
    where deleted_customers.customer_id is null
)

select * from final
