-- Connected components of the identity graph under the identity rules alone (no probabilistic links): which
-- records the rules already put together. Matching compares only records of different components, and
-- reads from them which accounts each side already holds. Nodes without links are not listed.
{{ config(materialized='connected_components', max_rounds=var('identity_max_rounds')) }}

select
    node_a,
    node_b
from {{ ref('int_identity_rule_edges') }}
