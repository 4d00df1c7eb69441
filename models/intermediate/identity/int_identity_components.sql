-- Connected components of the identity graph over every accepted link, by the iterative SQL macro
-- (log-many rounds; see macros/identity). Nodes without links are not listed: each is its own component.
{{ config(materialized='connected_components', meta={'max_rounds': var('identity_max_rounds')}) }}

select
    node_a,
    node_b
from {{ ref('int_identity_edges') }}
