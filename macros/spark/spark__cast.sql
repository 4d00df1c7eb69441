{#-
    dbt's cast on Spark (overrides dbt's default__cast there). Contracts declare `data_type: varchar`, which
    DuckDB and Snowflake read as an unbounded string, and dbt checks a contract by casting null to each
    declared type; Spark refuses `varchar` without a length, and its unbounded string is `string`.
-#}
{% macro spark__cast(field, type) %}
    {%- if type | trim | lower == 'varchar' -%}
        cast({{ field }} as string)
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{% endmacro %}
