-- The history of customer id changes, appended run after run (never rebuilt, so --full-refresh keeps it):
-- merges (an id absorbed into an older surviving id, with the link that caused it) and splits (records
-- that left an id for a new customer; the part with most records kept the old id). A forgotten
-- customer's ids are deleted from the log.
{{ config(
    materialized='incremental',
    unique_key='id_change_key',
    incremental_strategy=cdp.incremental_strategy(),
    full_refresh=false,
    on_schema_change='append_new_columns',
    post_hook=[
        "{{ cdp.delete_rows(this, 'old_customer_id in (select customer_id from ' ~ ref('int_privacy_deleted_customers') ~ ') or new_customer_id in (select customer_id from ' ~ ref('int_privacy_deleted_customers') ~ ')') }}",
    ],
) }}

with

id_changes as (
    select * from {{ ref('int_identity_id_changes') }}
),

deleted_customers as (
    select * from {{ ref('int_privacy_deleted_customers') }}
),

kept_changes as (
    select id_changes.*
    from id_changes
    left join deleted_customers as deleted_old
        on id_changes.old_customer_id = deleted_old.customer_id
    left join deleted_customers as deleted_new
        on id_changes.new_customer_id = deleted_new.customer_id
    where deleted_old.customer_id is null and deleted_new.customer_id is null
),

final as (
    select
        id_changes.id_change_key,
        id_changes.change_type,
        id_changes.old_customer_id,
        id_changes.new_customer_id,
        id_changes.cause,
        id_changes.cause_id_type,
        id_changes.cause_record_key,
        id_changes.changed_at
    from kept_changes as id_changes
    {% if is_incremental() -%}
    left join {{ this }} as logged_changes
        on id_changes.id_change_key = logged_changes.id_change_key
    where logged_changes.id_change_key is null
    {%- endif %}
)

select * from final
