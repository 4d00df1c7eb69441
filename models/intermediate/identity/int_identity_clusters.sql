-- The final cluster of every linkable identifier. Components within every limit are kept whole. An
-- over-limit component (too many values of a type, or accounts of different people) is split by cutting
-- its weakest links first: each of its nodes joins its component at the highest priority level k whose
-- links alone keep every limit (see int_identity_layered_edges).
-- cluster_key (the smallest node_key of the cluster) is deterministic on every run and engine.
-- Incremental: a run recomputes the clusters of the components holding a changed node and keeps the other
-- rows (macros/identity/changed_clusters.sql).
{%- set rules_version = cdp.identity_clusters_rules_version() if execute else '' %}
{%- set since = cdp.identity_clusters_model_since(rules_version) %}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_changed_clusters(
        ref('int_identity_edges'), ref('int_identity_nodes'), ref('int_identity_components'),
        cdp.identity_clusters_rules_version(),
    ) }}",
    post_hook="{{ cdp.drop_work_table(cdp.identity_dirty_relation()) }}",
) }}

with

-- The linkable nodes whose clusters this run computes: the dirty ones (every one on a full build).
nodes as (
    select * from {{ ref('int_identity_nodes') }}
    where is_linkable
    {%- if since is not none %}
        and node_id in (select node_id from {{ cdp.identity_dirty_relation() }})
    {%- endif %}
),

id_types as (
    select * from {{ ref('int_identity_rules') }}
),

identifier_names as (
    select * from {{ ref('int_identity_identifier_names') }}
),

equivalences as (
    select * from {{ ref('int_first_name_equivalences') }}
),

components as (
    select * from {{ ref('int_identity_components') }}
),

breaches as (
    select distinct component_id from {{ ref('int_identity_limit_breaches') }}
),

layered_components as (
    select * from {{ ref('int_identity_layered_components') }}
),

-- Level 0 keeps no link at all, so every node has at least one level within the limits.
levels as (
    select distinct priority as priority_level from id_types
    union all
    select 0 as priority_level
),

breached_nodes as (
    select components.node_id
    from components
    inner join breaches
        on components.component_id = breaches.component_id
),

-- Every node of an over-limit component at every level; a node without links at a level is alone there.
node_levels as (
    select
        breached_nodes.node_id,
        levels.priority_level,
        coalesce(layered_components.component_id, breached_nodes.node_id * 16 + levels.priority_level)
            as layered_component_id
    from breached_nodes
    cross join levels
    left join layered_components
        on breached_nodes.node_id * 16 + levels.priority_level = layered_components.node_id
),

{{ cdp.identity_limit_breach_ctes('layered', 'node_levels', 'layered_component_id') }},

breached_layers as (
    select distinct component_id as layered_component_id
    from layered_breaches
),

within_limits as (
    select
        node_levels.node_id,
        node_levels.priority_level,
        node_levels.layered_component_id,
        row_number() over (partition by node_levels.node_id order by node_levels.priority_level desc) as level_rank
    from node_levels
    left join breached_layers
        on node_levels.layered_component_id = breached_layers.layered_component_id
    where breached_layers.layered_component_id is null
),

split_nodes as (
    select
        node_id,
        priority_level as kept_link_priority,
        {{ dbt.concat(["'split:'", dbt.cast("layered_component_id", dbt.type_string())]) }} as cluster_label
    from within_limits
    where level_rank = 1
),

labelled as (
    select
        nodes.node_id,
        nodes.node_key,
        nodes.id_type,
        nodes.id_value,
        components.component_id,
        split_nodes.kept_link_priority,
        split_nodes.node_id is not null as is_in_split_cluster,
        coalesce(
            split_nodes.cluster_label,
            {{ dbt.concat(["'component:'", dbt.cast("components.component_id", dbt.type_string())]) }},
            {{ dbt.concat(["'node:'", dbt.cast("nodes.node_id", dbt.type_string())]) }}
        ) as cluster_label
    from nodes
    left join components
        on nodes.node_id = components.node_id
    left join split_nodes
        on nodes.node_id = split_nodes.node_id
),

final as (
    select
        node_id,
        node_key,
        id_type,
        id_value,
        min(node_key) over (partition by cluster_label) as cluster_key,
        is_in_split_cluster,
        kept_link_priority,
        component_id,
        {{ cdp.run_timestamp() }} as clustered_at,
        '{{ rules_version }}' as rules_version
    from labelled
)

select * from final
