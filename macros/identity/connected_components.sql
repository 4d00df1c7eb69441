{#-
    Connected components of an undirected graph, in SQL, in a number of rounds that grows with the log of
    the graph's size (randomised local contraction: Łącki, Mirrokni and Włodarczyk, "Connected Components at
    Scale via Local Contractions", 2018).

    Each round r every remaining node u picks a representative m(u) in its closed neighbourhood; edges are
    rewritten to (m(a), m(b)) without self-loops and duplicates, and a node left without edges has absorbed
    its whole component. The first rounds pick the smallest id (representatives are then component minima,
    and the small trees and stars that make up an identity graph collapse at once); later rounds pick the
    neighbour with the smallest hash(id, r), which about halves a path whatever the id order, so a chain
    of a million nodes needs about 23 rounds instead of a million. The per-round maps are composed backwards
    and every component is labelled with its minimum node id, whatever the hash function of the engine.
-#}
{%- macro connected_components(edges_relation, output_relation, node_a='node_a', node_b='node_b', max_rounds=64) -%}
    {#- Nothing runs while dbt parses a hook or model that calls this macro. -#}
    {%- if not execute -%}
        {{ return({}) }}
    {%- endif -%}
    {#- Rounds that pick the smallest neighbour id before switching to hashed priorities. -#}
    {%- set min_id_rounds = 2 -%}
    {%- if max_rounds < 1 -%}
        {%- do exceptions.raise_compiler_error('connected_components: max_rounds must be at least 1') -%}
    {%- endif -%}
    {%- set started_at = modules.datetime.datetime.now() -%}
    {%- set state = namespace(edges=none, rounds=0, edges_remaining=none) -%}
    {%- set maps = [] -%}
    {%- set per_round = [] -%}

    {%- for round in range(1, max_rounds + 1) -%}
        {%- set round_started_at = modules.datetime.datetime.now() -%}
        {%- set map_relation = cdp.cc_work_relation(output_relation, 'map_' ~ round) -%}
        {%- set next_edges = cdp.cc_work_relation(output_relation, 'edges_' ~ round) -%}

        {%- if round == 1 -%}
            {#- Every node enters the first map, isolated ones (self-loops, a null partner) mapped to themselves. -#}
            {%- set directed_sql -%}
                select {{ node_a }} as node_id, coalesce({{ node_b }}, {{ node_a }}) as neighbour_id
                from {{ edges_relation }} as edges
                where {{ node_a }} is not null
                union all
                select {{ node_b }} as node_id, coalesce({{ node_a }}, {{ node_b }}) as neighbour_id
                from {{ edges_relation }} as edges
                where {{ node_b }} is not null
            {%- endset -%}
            {%- set current_edges -%}
                (
                    select {{ node_a }} as node_a, {{ node_b }} as node_b
                    from {{ edges_relation }} as edges
                    where {{ node_a }} <> {{ node_b }}
                )
            {%- endset -%}
        {%- else -%}
            {%- set directed_sql -%}
                select node_a as node_id, node_b as neighbour_id from {{ state.edges }}
                union all
                select node_b as node_id, node_a as neighbour_id from {{ state.edges }}
            {%- endset -%}
            {%- set current_edges = state.edges -%}
        {%- endif -%}

        {%- if round <= min_id_rounds -%}
            {%- set representative_sql = 'least(node_id, min(neighbour_id))' -%}
        {%- else -%}
            {%- set representative_sql -%}
                case
                    when {{ cdp.cc_hash('node_id', round) }} <= min({{ cdp.cc_hash('neighbour_id', round) }})
                        then node_id
                    else min_by(neighbour_id, {{ cdp.cc_hash('neighbour_id', round) }})
                end
            {%- endset -%}
        {%- endif -%}

        {%- set map_sql -%}
            with directed as (
                {{ directed_sql }}
            )

            select
                node_id,
                {{ representative_sql }} as representative
            from directed
            group by node_id
        {%- endset -%}
        {%- do cdp.cc_create_table(map_relation, map_sql, temporary=true) -%}
        {%- do maps.append(map_relation) -%}

        {%- set edges_sql -%}
            select distinct
                least(representative_a.representative, representative_b.representative) as node_a,
                greatest(representative_a.representative, representative_b.representative) as node_b
            from {{ current_edges }} as edges
            inner join {{ map_relation }} as representative_a
                on edges.node_a = representative_a.node_id
            inner join {{ map_relation }} as representative_b
                on edges.node_b = representative_b.node_id
            where representative_a.representative <> representative_b.representative
        {%- endset -%}
        {%- do cdp.cc_create_table(next_edges, edges_sql, temporary=true) -%}
        {%- if round > 1 -%}
            {%- do adapter.drop_relation(state.edges) -%}
        {%- endif -%}
        {%- set state.edges = next_edges -%}
        {%- set state.rounds = round -%}

        {%- set counts = run_query(
            'select (select count(*) from ' ~ next_edges ~ ') as edges_remaining,'
            ~ ' (select count(*) from ' ~ map_relation ~ ' where representative <> node_id) as nodes_merged'
        ).rows[0] -%}
        {%- set state.edges_remaining = counts[0] | int -%}
        {%- set seconds = (modules.datetime.datetime.now() - round_started_at).total_seconds() -%}
        {%- do per_round.append({
            'round': round,
            'edges_remaining': state.edges_remaining,
            'nodes_merged': counts[1] | int,
            'seconds': seconds | round(3),
        }) -%}
        {%- do log(
            'connected_components ' ~ output_relation ~ ': round ' ~ round ~ ', '
            ~ state.edges_remaining ~ ' edges remaining, ' ~ (counts[1] | int) ~ ' nodes merged, '
            ~ (seconds | round(2)) ~ ' s',
            info=true,
        ) -%}
        {%- if state.edges_remaining == 0 -%}
            {%- break -%}
        {%- endif -%}
    {%- endfor -%}

    {%- do adapter.drop_relation(state.edges) -%}
    {%- if state.edges_remaining > 0 -%}
        {%- for map_relation in maps -%}
            {%- do adapter.drop_relation(map_relation) -%}
        {%- endfor -%}
        {%- do exceptions.raise_compiler_error(
            'connected_components: ' ~ output_relation ~ ' did not converge within max_rounds=' ~ max_rounds
            ~ ' rounds (' ~ state.edges_remaining ~ ' edges still between different representatives). '
            ~ 'A path of n nodes needs about log2(n) + 3 rounds: raise max_rounds.'
        ) -%}
    {%- endif -%}

    {#- Compose the maps backwards: root(u) = root(m_r(u)), or m_r(u) when m_r(u) left the graph in round r.
        Roots of the min-id rounds are component minima; later roots are relabelled with the minimum id
        over the nodes of round min_id_rounds + 1, which still holds every unfinished component's minimum. -#}
    {%- set output_sql -%}
        with
        {%- set previous = namespace(name=none) -%}
        {%- for round in range(state.rounds, 0, -1) %}
        {{ ',' if not loop.first }}round_{{ round }} as (
            {%- if previous.name is none %}
            select node_id, representative as root
            from {{ maps[round - 1] }}
            {%- else %}
            select
                maps.node_id,
                coalesce(later.root, maps.representative) as root
            from {{ maps[round - 1] }} as maps
            left join {{ previous.name }} as later
                on maps.representative = later.node_id
            {%- endif %}
        )
            {%- set previous.name = 'round_' ~ round -%}
            {%- if round == min_id_rounds + 1 %}

        , round_{{ round }}_labelled as (
            select
                node_id,
                min(node_id) over (partition by root) as root
            from round_{{ round }}
        )
                {%- set previous.name = 'round_' ~ round ~ '_labelled' -%}
            {%- endif %}
        {%- endfor %}

        select
            node_id,
            root as component_id
        from {{ previous.name }}
    {%- endset -%}
    {%- do cdp.cc_create_table(output_relation, output_sql) -%}
    {%- for map_relation in maps -%}
        {%- do adapter.drop_relation(map_relation) -%}
    {%- endfor -%}

    {%- set totals = run_query(
        'select count(*) as nodes, coalesce(sum(case when node_id = component_id then 1 else 0 end), 0)'
        ~ ' as components from ' ~ output_relation
    ).rows[0] -%}
    {%- set summary = {
        'rounds': state.rounds,
        'nodes': totals[0] | int,
        'components': totals[1] | int,
        'per_round': per_round,
        'seconds': (modules.datetime.datetime.now() - started_at).total_seconds() | round(3),
    } -%}
    {%- do log(
        'connected_components ' ~ output_relation ~ ': ' ~ summary.nodes ~ ' nodes in ' ~ summary.components
        ~ ' components after ' ~ summary.rounds ~ ' rounds, ' ~ summary.seconds ~ ' s',
        info=true,
    ) -%}
    {{ return(summary) }}
{%- endmacro -%}
