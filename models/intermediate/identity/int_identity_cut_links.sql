-- Links cut to keep clusters within the per-customer limits: both ends linkable, but they ended in
-- different clusters. Each carries the limit its component broke, and its kind: a rule link, or a
-- probabilistic (or manual) one with its match weight and rule. Probabilistic links are the weakest, so they
-- are the first cut from a component that joins conflicting customers.
with

edges as (
    select * from {{ ref('int_identity_edges') }}
),

clusters as (
    select * from {{ ref('int_identity_clusters') }}
),

components as (
    select * from {{ ref('int_identity_components') }}
),

breaches as (
    select * from {{ ref('int_identity_limit_breaches') }}
),

breach_details as (
    select
        component_id,
        {{ dbt.listagg(
            "limit_broken",
            "'; '",
            "order by limit_broken",
        ) }} as broken_limits
    from breaches
    group by component_id
),

final as (
    select
        edges.node_a,
        edges.node_b,
        cluster_a.node_key as node_key_a,
        cluster_b.node_key as node_key_b,
        edges.edge_priority,
        edges.link_kind,
        edges.match_weight,
        edges.match_rule,
        edges.records,
        edges.first_record_key,
        cluster_a.cluster_key as cluster_key_a,
        cluster_b.cluster_key as cluster_key_b,
        {{ dbt.concat([
            "'component held '",
            "breach_details.broken_limits",
            "'; links of priority '",
            dbt.cast("edges.edge_priority", dbt.type_string()),
            "' and weaker cut'",
        ]) }} as cut_reason,
        edges.first_seen_at
    from edges
    inner join clusters as cluster_a
        on edges.node_a = cluster_a.node_id
    inner join clusters as cluster_b
        on edges.node_b = cluster_b.node_id
    inner join components
        on edges.node_a = components.node_id
    inner join breach_details
        on components.component_id = breach_details.component_id
    where cluster_a.cluster_key != cluster_b.cluster_key
)

select * from final
