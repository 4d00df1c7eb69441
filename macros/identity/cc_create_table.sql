{#- Creates (or replaces) `relation` as the result of `sql`; a session-scoped table when `temporary`. -#}
{%- macro cc_create_table(relation, sql, temporary=false) -%}
    {{ return(adapter.dispatch('cc_create_table', 'cdp')(relation, sql, temporary)) }}
{%- endmacro -%}

{%- macro default__cc_create_table(relation, sql, temporary) -%}
    {%- call statement('cc_create_table') -%}
        create or replace {{ 'temporary ' if temporary }}table {{ relation }} as
        {{ sql }}
    {%- endcall -%}
{%- endmacro -%}

{#- Spark has neither temporary tables nor CREATE OR REPLACE for v1 (parquet) tables: work tables are real
    tables (a table, unlike a cached view, cuts the lineage between rounds) that the caller drops. -#}
{%- macro spark__cc_create_table(relation, sql, temporary) -%}
    {%- call statement('cc_drop_table') -%}
        drop table if exists {{ relation }}
    {%- endcall -%}
    {%- call statement('cc_create_table') -%}
        create table {{ relation }} as
        {{ sql }}
    {%- endcall -%}
{%- endmacro -%}
