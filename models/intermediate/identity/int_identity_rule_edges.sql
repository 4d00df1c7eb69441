-- The links of the identity rules. Each record links its anchor (strongest linkable identifier) to each
-- of its other linkable identifiers. A link is as strong as its weaker end: edge_priority is the larger
-- priority number of its two nodes. Quarantined identifiers link nothing.
with

identifiers as (
    select * from {{ ref('int_identity_linking_identifiers') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

anchors as (
    select * from {{ ref('int_identity_record_anchors') }}
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

final as (
    select
        node_a,
        node_b,
        max(edge_priority) as edge_priority,
        count(*) as records,
        min(record_key) as first_record_key,
        min(first_seen_at) as first_seen_at
    from record_links
    group by node_a, node_b
)

select * from final
