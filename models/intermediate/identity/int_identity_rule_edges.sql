-- The links of the identity rules. Each record links its anchor (strongest linkable identifier) to each
-- of its other linkable identifiers. A link is as strong as its weaker end: edge_priority is the larger
-- priority number of its two nodes. Quarantined identifiers link nothing.
-- Incremental: a run recomputes the links at a node a changed record holds or that was classified again
-- (macros/identity/changed_anchors.sql), from every record holding such a node, and keeps the others.
{%- set since = cdp.identity_rows_since('computed_at') %}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_changed_rule_edges(
        ref('int_identity_linking_identifiers'), ref('int_identity_nodes'), ref('int_identity_record_anchors')
    ) }}",
    post_hook="{{ cdp.drop_dirty_identity_rows() }}",
) }}

with

all_identifiers as (
    select * from {{ ref('int_identity_linking_identifiers') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

anchors as (
    select * from {{ ref('int_identity_record_anchors') }}
),

{% if since is not none -%}
dirty_nodes as (
    select node_id from {{ cdp.identity_dirty_relation() }}
),

-- Every record behind a link at a dirty node holds that node.
dirty_records as (
    select distinct all_identifiers.record_key
    from all_identifiers
    inner join nodes
        on
            all_identifiers.id_type = nodes.id_type
            and all_identifiers.link_value = nodes.id_value
    inner join dirty_nodes
        on nodes.node_id = dirty_nodes.node_id
),

{% endif -%}
-- The identifiers of the records whose links this run computes (of every record on a full build).
identifiers as (
    select * from all_identifiers
    {%- if since is not none %}
    where record_key in (select record_key from dirty_records)
    {%- endif %}
),

record_links as (
    select
        identifiers.record_key,
        identifiers.first_seen_at,
        least(anchors.anchor_node_id, nodes.node_id) as node_a,
        greatest(anchors.anchor_node_id, nodes.node_id) as node_b,
        nodes.priority as edge_priority
    from identifiers
    inner join nodes
        on
            identifiers.id_type = nodes.id_type
            and identifiers.link_value = nodes.id_value
    inner join anchors
        on identifiers.record_key = anchors.record_key
    where
        nodes.is_linkable
        and nodes.node_id != anchors.anchor_node_id
),

-- The links at a dirty node (every link on a full build).
recomputed_links as (
    select * from record_links
    {%- if since is not none %}
    where
        node_a in (select node_id from dirty_nodes)
        or node_b in (select node_id from dirty_nodes)
    {%- endif %}
),

final as (
    select
        node_a,
        node_b,
        max(edge_priority) as edge_priority,
        count(*) as records,
        min(record_key) as first_record_key,
        min(first_seen_at) as first_seen_at,
        {{ cdp.run_timestamp() }} as computed_at
    from recomputed_links
    group by node_a, node_b
)

select * from final
