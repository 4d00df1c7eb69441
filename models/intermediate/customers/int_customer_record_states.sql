-- Each resolved record's customer and fingerprint as of the last run: the state int_customer_changes
-- compares the next run against. Built once from the fingerprints, then kept up to date from the log
-- (this run's entries replace the records' rows; a record no longer resolved to anyone is removed).
{{ config(
    materialized='incremental',
    unique_key='record_key',
    incremental_strategy=cdp.incremental_strategy(),
    on_schema_change='append_new_columns',
    post_hook=["{{ cdp.delete_rows(this, 'customer_id is null') if is_incremental() else '' }}"],
) }}
-- depends_on: {{ ref('int_customer_changes') }}

with

{% if is_incremental() -%}
changes as (
    select * from {{ ref('int_customer_changes') }}
    where changed_at = {{ cdp.run_timestamp() }} and change_type != 'rebuilt'
),

final as (
    select
        record_key,
        customer_id,
        fingerprint,
        changed_at
    from changes
)
{%- else -%}
fingerprints as (
    select * from {{ ref('int_customer_record_fingerprints') }}
),

final as (
    select
        record_key,
        customer_id,
        fingerprint,
        {{ cdp.run_timestamp() }} as changed_at
    from fingerprints
)
{%- endif %}

select * from final
