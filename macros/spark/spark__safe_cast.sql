{#-
    dbt's safe_cast on Spark (overrides dbt-spark's, which it then calls). Unit-test fixtures cast their
    values to the types the YAML declares; an unbounded `varchar` is Spark's `string` (see spark__cast).
-#}
{% macro spark__safe_cast(field, type) %}
    {{ return(dbt.spark__safe_cast(field, 'string' if type | trim | lower == 'varchar' else type)) }}
{% endmacro %}
