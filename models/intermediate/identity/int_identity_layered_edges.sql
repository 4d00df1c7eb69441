-- The links inside over-limit components, copied once per priority level k with only the links of
-- priority <= k. Clustering these copies tells, for every node, the largest k at which its component
-- respects every limit: cutting the weakest links first until the limits hold, in one pass.
-- A node id is encoded as node_id * 16 + k (priorities stay below 16; a seed test enforces it).
with

edges as (
    select * from {{ ref('int_identity_edges') }}
),

components as (
    select * from {{ ref('int_identity_components') }}
),

breaches as (
    select distinct component_id from {{ ref('int_identity_limit_breaches') }}
),

levels as (
    select distinct priority as priority_level from {{ ref('int_identity_rules') }}
),

breached_edges as (
    select edges.*
    from edges
    inner join components
        on edges.node_a = components.node_id
    inner join breaches
        on components.component_id = breaches.component_id
),

final as (
    select
        breached_edges.node_a * 16 + levels.priority_level as node_a,
        breached_edges.node_b * 16 + levels.priority_level as node_b,
        levels.priority_level
    from breached_edges
    inner join levels
        on breached_edges.edge_priority <= levels.priority_level
)

select * from final
