{#-
    A model whose SQL selects the edges (node_a, node_b) of a graph and whose table holds its connected
    components (node_id, component_id), plus a companion table <model>__rounds (round, edges_remaining,
    nodes_merged, seconds) that the orchestrator reads for run metadata:

        {{ config(materialized='connected_components', max_rounds=var('identity_max_rounds', 64)) }}
        select node_a, node_b from {{ ref('int_identity_edges') }}

    `max_rounds` may also be set as `meta={'max_rounds': ...}` (dbt >= 1.10 warns about custom config keys on
    some adapters).

    Follows dbt's table materialization: the model SQL is staged in a temporary relation (the `main`
    statement), components are built in an intermediate relation that replaces the old table, then hooks,
    grants and docs as usual.
-#}
{%- materialization connected_components, default -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
    {%- set preexisting_intermediate_relation = load_cached_relation(intermediate_relation) -%}
    {%- set backup_relation_type = 'table' if existing_relation is none else existing_relation.type -%}
    {%- set backup_relation = make_backup_relation(target_relation, backup_relation_type) -%}
    {%- set preexisting_backup_relation = load_cached_relation(backup_relation) -%}
    {%- set edges_relation = make_temp_relation(target_relation, '__cc_input') -%}
    {%- set rounds_relation = target_relation.incorporate(
        path={'identifier': target_relation.identifier ~ '__rounds'}
    ) -%}
    {%- set grant_config = config.get('grants') -%}

    {{ drop_relation_if_exists(preexisting_intermediate_relation) }}
    {{ drop_relation_if_exists(preexisting_backup_relation) }}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {% call statement('main') -%}
        {{ get_create_table_as_sql(True, edges_relation, sql) }}
    {%- endcall %}

    {%- set summary = cdp.connected_components(
        edges_relation,
        intermediate_relation,
        max_rounds=(config.get('max_rounds') or (config.get('meta') or {}).get('max_rounds') or 64) | int,
    ) -%}
    {%- do adapter.drop_relation(edges_relation) -%}

    {%- set rounds_sql -%}
        {%- for round in summary.per_round %}
        select
            cast({{ round.round }} as {{ dbt.type_int() }}) as round,
            cast({{ round.edges_remaining }} as {{ dbt.type_bigint() }}) as edges_remaining,
            cast({{ round.nodes_merged }} as {{ dbt.type_bigint() }}) as nodes_merged,
            cast({{ round.seconds }} as {{ dbt.type_numeric() }}) as seconds
        {{ 'union all' if not loop.last }}
        {%- endfor %}
    {%- endset -%}
    {%- do cdp.cc_create_table(rounds_relation, rounds_sql) -%}

    {%- if existing_relation is not none -%}
        {%- set existing_relation = load_cached_relation(existing_relation) -%}
        {%- if existing_relation is not none -%}
            {{ adapter.rename_relation(existing_relation, backup_relation) }}
        {%- endif -%}
    {%- endif -%}
    {{ adapter.rename_relation(intermediate_relation, target_relation) }}

    {{ run_hooks(post_hooks, inside_transaction=True) }}

    {%- set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) -%}
    {%- do apply_grants(target_relation, grant_config, should_revoke=should_revoke) -%}
    {#- The rounds table was just created (or replaced): nothing to revoke on it. -#}
    {%- do apply_grants(rounds_relation, grant_config, should_revoke=false) -%}
    {%- do persist_docs(target_relation, model) -%}

    {{ adapter.commit() }}

    {{ drop_relation_if_exists(backup_relation) }}

    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation, rounds_relation]}) }}
{%- endmaterialization -%}
