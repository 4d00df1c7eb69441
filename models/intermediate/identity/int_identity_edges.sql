-- The links of the identity graph: the links of the identity rules (int_identity_rule_edges: records sharing
-- an identifier) and, unless the var identity_probabilistic_links is false, the probabilistic links between
-- records that share none (int_matching_links: each joins the anchors of its two records). Probabilistic
-- links are weaker than every rule (matching_edge_priority), so a cluster over a limit loses them first.
with

rule_edges as (
    select * from {{ ref('int_identity_rule_edges') }}
),

{% if var('identity_probabilistic_links', true) -%}
matching_links as (
    select * from {{ ref('int_matching_links') }}
    where is_linked
),

{% endif -%}

final as (
    select
        node_a,
        node_b,
        edge_priority,
        records,
        first_record_key,
        first_seen_at,
        'rule' as link_kind,
        cast(null as double) as match_weight,
        cast(null as {{ dbt.type_string() }}) as match_rule
    from rule_edges
    {%- if var('identity_probabilistic_links', true) %}
    union all
    select
        least(anchor_node_id_a, anchor_node_id_b) as node_a,
        greatest(anchor_node_id_a, anchor_node_id_b) as node_b,
        edge_priority,
        2 as records,
        record_key_a as first_record_key,
        first_seen_at,
        link_kind,
        match_weight,
        match_rule
    from matching_links
    {%- endif %}
)

select * from final
