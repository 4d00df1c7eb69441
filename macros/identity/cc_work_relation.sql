{#- Names a work table of connected_components: `<output>__cc_<name>`, beside the output. -#}
{%- macro cc_work_relation(output_relation, name) -%}
    {{ return(adapter.dispatch('cc_work_relation', 'cdp')(output_relation, name)) }}
{%- endmacro -%}

{%- macro default__cc_work_relation(output_relation, name) -%}
    {{ return(api.Relation.create(
        database=output_relation.database,
        schema=output_relation.schema,
        identifier=output_relation.identifier ~ '__cc_' ~ name,
        type='table',
    )) }}
{%- endmacro -%}

{#- DuckDB keeps temporary tables in its own `temp` catalog: they cannot be qualified. -#}
{%- macro duckdb__cc_work_relation(output_relation, name) -%}
    {{ return(api.Relation.create(identifier=output_relation.identifier ~ '__cc_' ~ name, type='table')) }}
{%- endmacro -%}
