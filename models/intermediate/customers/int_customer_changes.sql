-- The log of what changed for the customer-level models, appended run after run: every resolved record
-- whose customer or fingerprint (int_customer_record_fingerprints) differs from the last run's, with its
-- customer before and after. Customer-level models recompute the customers named here since they last
-- ran (cdp.changed_customers), both sides of a move: the customer a record left and the one it joined.
-- The last run's state is int_customer_record_states, read here before that model takes this run's changes
-- (it is not a ref: it is built from this log). A first build, or a run without that state, logs one
-- `rebuilt` row instead: every customer-level model then recomputes every customer. Entries older than
-- var('customer_changes_retention_days') are pruned; a model that has not run for that long recomputes all.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    post_hook=[
        "{{ cdp.delete_rows(this, 'changed_at < ' ~ dbt.dateadd('day', -var('customer_changes_retention_days'), cdp.run_timestamp())) if is_incremental() else '' }}",
    ],
) }}
{%- set states = adapter.get_relation(this.database, this.schema, 'int_customer_record_states') if execute else none %}
-- depends_on: {{ ref('int_customer_record_fingerprints') }}

with

{% if is_incremental() and states is not none -%}
fingerprints as (
    select * from {{ ref('int_customer_record_fingerprints') }}
),

previous_states as (
    select
        record_key,
        customer_id,
        fingerprint
    from {{ states }}
),

changes as (
    select
        coalesce(fingerprints.record_key, previous_states.record_key) as record_key,
        fingerprints.customer_id,
        previous_states.customer_id as previous_customer_id,
        case
            when previous_states.record_key is null then 'new_record'
            when fingerprints.record_key is null then 'unresolved'
            when fingerprints.customer_id != previous_states.customer_id then 'moved'
            else 'changed'
        end as change_type,
        fingerprints.fingerprint
    from fingerprints
    full outer join previous_states
        on fingerprints.record_key = previous_states.record_key
    where
        fingerprints.record_key is null
        or previous_states.record_key is null
        or fingerprints.customer_id != previous_states.customer_id
        or fingerprints.fingerprint != previous_states.fingerprint
),
{%- else -%}
changes as (
    select
        cast(null as {{ dbt.type_string() }}) as record_key,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as previous_customer_id,
        'rebuilt' as change_type,
        cast(null as {{ dbt.type_string() }}) as fingerprint
),
{%- endif %}

final as (
    select
        record_key,
        customer_id,
        previous_customer_id,
        change_type,
        fingerprint,
        {{ cdp.run_timestamp() }} as changed_at
    from changes
)

select * from final
