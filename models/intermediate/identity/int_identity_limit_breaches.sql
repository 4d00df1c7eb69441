-- Components of the full identity graph that break the per-customer limits: more distinct values of an
-- identifier type than one customer may have (identity_id_types.max_per_customer), or accounts whose
-- first names cannot be one person's (macros/identity/identity_limit_breach_ctes.sql). These components
-- are split by int_identity_clusters, weakest links first.
with

components as (
    select * from {{ ref('int_identity_components') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
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

{{ cdp.identity_limit_breach_ctes('component', 'components', 'component_id') }},

final as (
    select
        component_id,
        limit_broken
    from component_breaches
)

select * from final
