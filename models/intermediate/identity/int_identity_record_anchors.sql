-- Each record's anchor: its strongest linkable identifier (lowest priority number, then type and value).
-- A record belongs to the cluster of its anchor, even when a link to one of its weaker identifiers is cut.
with

identifiers as (
    select * from {{ ref('int_identity_linking_identifiers') }}
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
        node_id as anchor_node_id
    from ranked
    where strength_rank = 1
)

select * from final
