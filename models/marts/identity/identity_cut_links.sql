-- Links cut to keep customers within the per-customer limits of identity_id_types, weakest first, with
-- the limit the joined cluster broke. Probabilistic links, the weakest, go first.
with

cut_links as (
    select * from {{ ref('int_identity_cut_links') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

deleted_identifiers as (
    select * from {{ ref('int_privacy_deleted_identifiers') }}
),

named as (
    select
        cut_links.*,
        node_a.id_type as id_type_a,
        node_a.raw_value as id_value_a,
        node_b.id_type as id_type_b,
        node_b.raw_value as id_value_b
    from cut_links
    inner join nodes as node_a
        on cut_links.node_a = node_a.node_id
    inner join nodes as node_b
        on cut_links.node_b = node_b.node_id
),

final as (
    select
        {{ dbt.concat(["named.node_key_a", "' -- '", "named.node_key_b"]) }} as cut_link_key,
        named.node_key_a,
        named.node_key_b,
        named.edge_priority,
        named.link_kind,
        named.match_weight,
        named.match_rule,
        named.cut_reason,
        named.records,
        named.first_record_key,
        named.first_seen_at
    from named
    left join deleted_identifiers as deleted_a
        on
            named.id_type_a = deleted_a.id_type
            and named.id_value_a = deleted_a.id_value
    left join deleted_identifiers as deleted_b
        on
            named.id_type_b = deleted_b.id_type
            and named.id_value_b = deleted_b.id_value
    where
        deleted_a.id_type is null
        and deleted_b.id_type is null
)

select * from final
