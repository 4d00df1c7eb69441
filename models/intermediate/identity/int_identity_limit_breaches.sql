-- Components of the full identity graph that hold more distinct values of an identifier type than one
-- customer may have (identity_id_types.max_per_customer): two shop accounts joined through a chain of
-- emails and phones, say. These components are split by int_identity_clusters.
with

components as (
    select * from {{ ref('int_identity_components') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

id_types as (
    select * from {{ ref('identity_id_types') }}
),

values_per_type as (
    select
        components.component_id,
        nodes.id_type,
        count(*) as distinct_values
    from components
    inner join nodes
        on components.node_id = nodes.node_id
    group by components.component_id, nodes.id_type
),

final as (
    select
        values_per_type.component_id,
        values_per_type.id_type,
        values_per_type.distinct_values,
        id_types.max_per_customer
    from values_per_type
    inner join id_types
        on values_per_type.id_type = id_types.id_type
    where values_per_type.distinct_values > id_types.max_per_customer
)

select * from final
