-- The cluster of every identity record: the cluster of its anchor. Records without any linkable
-- identifier (only junk, blocklisted or over-shared values) are not resolved to anyone.
-- Incremental: a run recomputes the records whose anchor's cluster it rewrote or that landed again
-- (macros/identity/changed_clusters.sql) and keeps the others.
{%- set since = cdp.identity_rows_since('clustered_at', ['loaded_at']) %}
{%- set landed_since = cdp.landed_records_since() %}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_changed_record_clusters(
        ref('int_identity_records'), ref('int_identity_record_anchors'), ref('int_identity_clusters')
    ) }}",
    post_hook="{{ cdp.drop_work_table(cdp.identity_dirty_relation()) }}",
) }}

with

-- The records whose clusters this run computes: the dirty ones (every one on a full build).
records as (
    select * from {{ ref('int_identity_records') }}
    {%- if since is not none and landed_since is not none %}
    where record_key in (select record_key from {{ cdp.identity_dirty_relation() }})
    {%- endif %}
),

anchors as (
    select * from {{ ref('int_identity_record_anchors') }}
),

clusters as (
    select * from {{ ref('int_identity_clusters') }}
),

final as (
    select
        records.record_key,
        records.source,
        records.entity,
        records.source_record_id,
        clusters.cluster_key,
        anchors.anchor_node_id,
        clusters.node_key as anchor_node_key,
        records.first_seen_at,
        records.last_seen_at,
        records.source_rows,
        records.loaded_at,
        {{ cdp.run_timestamp() }} as clustered_at
    from records
    inner join anchors
        on records.record_key = anchors.record_key
    inner join clusters
        on anchors.anchor_node_id = clusters.node_id
)

select * from final
