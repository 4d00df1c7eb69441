{#-
    dbt run-operation entry point of connected_components, for the benchmark, tests and ad-hoc runs:

        dbt --quiet run-operation run_connected_components --args '{edges: main.identity_edges, output: main.clusters}'

    `edges` and `output` are `[[database.]schema.]table` (schema defaults to the target's). Commits, then prints
    one line of JSON (also in the log) for machines: rounds, nodes, components, per_round, seconds (the macro's
    own time) and operation_seconds (including the commit).
-#}
{%- macro run_connected_components(edges, output, node_a='node_a', node_b='node_b', max_rounds=64) -%}
    {%- set started_at = modules.datetime.datetime.now() -%}
    {%- set summary = cdp.connected_components(
        cdp.cc_relation_from_name(edges),
        cdp.cc_relation_from_name(output),
        node_a=node_a,
        node_b=node_b,
        max_rounds=max_rounds | int,
    ) -%}
    {%- do adapter.commit() -%}
    {%- do summary.update({
        'macro': 'connected_components',
        'output': output,
        'operation_seconds': (modules.datetime.datetime.now() - started_at).total_seconds() | round(3),
    }) -%}
    {%- do print(tojson(summary, sort_keys=true)) -%}
{%- endmacro -%}
