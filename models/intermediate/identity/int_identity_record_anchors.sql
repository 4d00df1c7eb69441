-- Each record's anchor: its strongest linkable identifier (lowest priority number, then type and value).
-- A record belongs to the cluster of its anchor, even when a link to one of its weaker identifiers is cut.
-- Incremental: a run recomputes the records holding an identifier classified again since the last run
-- (macros/identity/changed_anchors.sql) and keeps the others.
{%- set since = cdp.identity_rows_since('anchored_at') %}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_changed_anchors(ref('int_identity_linking_identifiers'), ref('int_identity_nodes')) }}",
    post_hook="{{ cdp.drop_work_table(cdp.identity_dirty_relation()) }}",
) }}

with

-- The identifiers of the records whose anchors this run computes (of every record on a full build).
identifiers as (
    select * from {{ ref('int_identity_linking_identifiers') }}
    {%- if since is not none %}
    where record_key in (select record_key from {{ cdp.identity_dirty_relation() }})
    {%- endif %}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

ranked as (
    select
        identifiers.record_key,
        nodes.node_id,
        row_number() over (
            partition by identifiers.record_key
            order by nodes.priority asc, nodes.id_type asc, nodes.id_value asc
        ) as strength_rank
    from identifiers
    inner join nodes
        on
            identifiers.id_type = nodes.id_type
            and identifiers.link_value = nodes.id_value
    where nodes.is_linkable
),

final as (
    select
        record_key,
        node_id as anchor_node_id,
        {{ cdp.run_timestamp() }} as anchored_at
    from ranked
    where strength_rank = 1
)

select * from final
