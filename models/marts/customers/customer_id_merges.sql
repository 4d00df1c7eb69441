-- The history of customer id changes, appended run after run (never rebuilt, so --full-refresh keeps it):
-- merges (an id absorbed into an older surviving id, with the link that caused it) and splits (records
-- that left an id for a new customer; the part with most records kept the old id).
{{ config(
    materialized='incremental',
    unique_key='id_change_key',
    incremental_strategy=cdp.incremental_strategy(),
    full_refresh=false,
    on_schema_change='append_new_columns',
) }}

with

id_changes as (
    select * from {{ ref('int_identity_id_changes') }}
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
    from id_changes
    {% if is_incremental() -%}
    left join {{ this }} as logged_changes
        on id_changes.id_change_key = logged_changes.id_change_key
    where logged_changes.id_change_key is null
    {%- endif %}
)

select * from final
