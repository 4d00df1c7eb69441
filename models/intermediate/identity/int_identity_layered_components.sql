-- Connected components of the layered copies of over-limit components (see int_identity_layered_edges).
{{ config(materialized='connected_components', meta={'max_rounds': var('identity_max_rounds')}) }}

select
    node_a,
    node_b
from {{ ref('int_identity_layered_edges') }}
