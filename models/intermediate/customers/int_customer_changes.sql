-- The log of what changed for the customer-level models, appended run after run: every resolved record
-- whose customer or fingerprint (int_customer_record_fingerprints) differs from the last run's, with its
-- customer before and after. Customer-level models recompute the customers named here since they last
-- ran (cdp.changed_customers), both sides of a move: the customer a record left and the one it joined.
-- The last run's state is int_customer_record_states, read here before that model takes this run's changes
-- (it is not a ref: it is built from this log). A first build, or a run without that state, logs one
-- `rebuilt` row instead: every customer-level model then recomputes every customer. Entries older than
-- var('customer_changes_retention_days') are pruned; a model that has not run for that long recomputes all.
-- A run compares only the records whose inputs were rewritten after the state was last updated (each input
-- stamps the rows a run writes: resolved_at, built_at, linked_at, classified_at of a carried identifier),
-- and the stored records no longer resolved; without a state newer than nothing, it compares every record.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    post_hook=[
        "{{ cdp.delete_rows(this, 'changed_at < ' ~ dbt.dateadd('day', -var('customer_changes_retention_days'), cdp.run_timestamp())) if is_incremental() else '' }}",
    ],
) }}
{%- set states = adapter.get_relation(this.database, this.schema, 'int_customer_record_states') if execute else none %}
{#- When the state was last brought up to date: the records whose inputs were rewritten after it are the only
    ones whose fingerprint or customer may differ from it. None (compare every record) without a state, or
    when ids were assigned again to a quarter of the records or more (the first run after a full build
    relabels every record): reading every record once is then cheaper than picking them out. -#}
{%- set since = none %}
{%- if is_incremental() and states is not none %}
{%- set newest = run_query('select max(changed_at) from ' ~ states).columns[0].values()[0] %}
{%- if newest is not none %}
{%- set reassigned = run_query(
    'select count(*), sum(case when resolved_at > ' ~ cdp.timestamp_literal(newest) ~ ' then 1 else 0 end) from '
    ~ ref('int_identity_customer_ids')
).rows[0] %}
{%- set since = cdp.timestamp_literal(newest) if (reassigned[1] or 0) * 4 < reassigned[0] else none %}
{%- endif %}
{%- endif %}
-- depends_on: {{ ref('int_customer_record_fingerprints') }}
-- depends_on: {{ ref('int_identity_customer_ids') }}
-- depends_on: {{ ref('int_identity_records') }}
-- depends_on: {{ ref('int_identity_linking_identifiers') }}
-- depends_on: {{ ref('int_identity_nodes') }}

with

{% if is_incremental() and states is not none -%}
{%- if since is none -%}
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
{%- else -%}
-- Every input of a fingerprint stamps the rows a run rewrites: the records whose customer was assigned again,
-- whose rows or identifiers were rebuilt, or who carry an identifier classified again (its quarantine) since
-- the state was last updated. A rebuilt record whose rows came out as they were keeps its linked_at.
candidates as (
    select record_key from {{ ref('int_identity_customer_ids') }}
    where resolved_at > {{ since }}
    union
    select record_key from {{ ref('int_identity_records') }}
    where built_at > {{ since }}
    union
    select record_key from {{ ref('int_identity_linking_identifiers') }}
    where linked_at > {{ since }}
    union
    select identifiers.record_key
    from {{ ref('int_identity_linking_identifiers') }} as identifiers
    inner join {{ ref('int_identity_nodes') }} as nodes
        on
            identifiers.id_type = nodes.id_type
            and identifiers.link_value = nodes.id_value
    where nodes.classified_at > {{ since }}
),

fingerprints as (
    {{ cdp.customer_record_fingerprints('candidates') }}
),

-- A stored record without a customer id now has gone (int_identity_customer_ids keeps no record that
-- int_identity_records dropped).
previous_states as (
    select
        states.record_key,
        states.customer_id,
        states.fingerprint
    from {{ states }} as states
    left join {{ ref('int_identity_customer_ids') }} as customer_ids
        on states.record_key = customer_ids.record_key
    left join candidates
        on states.record_key = candidates.record_key
    where
        customer_ids.record_key is null
        or candidates.record_key is not null
),
{%- endif %}

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
