{#- The table relation named `[[database.]schema.]identifier`, in the target's database and schema by default. -#}
{%- macro cc_relation_from_name(name) -%}
    {%- set parts = name.split('.') -%}
    {{ return(api.Relation.create(
        database=parts[-3] if parts | length > 2 else target.get('database'),
        schema=parts[-2] if parts | length > 1 else target.schema,
        identifier=parts[-1],
        type='table',
    )) }}
{%- endmacro -%}
