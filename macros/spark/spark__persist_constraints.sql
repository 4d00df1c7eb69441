{#-
    Contract constraints on Spark (overrides dbt-spark's spark__persist_constraints, which it then calls).
    dbt-spark adds an enforced contract's NOT NULL and CHECK constraints with ALTER TABLE, taking a model
    without `file_format` for Delta; plain Parquet tables, the default of open-source Spark, reject that.
    They are added only to tables configured `file_format: delta`; the not_null tests check the rest.
-#}
{% macro spark__persist_constraints(relation, model) %}
    {% if config.get('file_format', 'parquet') == 'delta' %}
        {% do dbt.spark__persist_constraints(relation, model) %}
    {% endif %}
{% endmacro %}
