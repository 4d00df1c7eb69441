{#- Names a work table of connected_components after its output: `<output>__cc_<name>`. -#}
{%- macro cc_work_relation(output_relation, name) -%}
    {{ return(adapter.dispatch('cc_work_relation', 'cdp')(output_relation, name)) }}
{%- endmacro -%}

{#- Work tables are temporary tables of the session (DuckDB keeps them in its own `temp` catalog, Snowflake
    in the session's schema), so their names are not qualified. -#}
{%- macro default__cc_work_relation(output_relation, name) -%}
    {{ return(api.Relation.create(identifier=output_relation.identifier ~ '__cc_' ~ name, type='table')) }}
{%- endmacro -%}

{#- Spark has no temporary tables: work tables are real tables beside the output, dropped at the end. -#}
{%- macro spark__cc_work_relation(output_relation, name) -%}
    {{ return(api.Relation.create(
        schema=output_relation.schema,
        identifier=output_relation.identifier ~ '__cc_' ~ name,
        type='table',
    )) }}
{%- endmacro -%}
