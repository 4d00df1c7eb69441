{#-
    Overrides dbt-spark's macro of the same name (a root-project macro wins over the adapter's): dbt-spark
    refuses `merge` unless the table is Delta, Iceberg or Hudi, because plain Parquet has no MERGE INTO.
    This project runs `merge` on Parquet too, as a rewrite of the table (cdp's spark__get_merge_sql);
    every other strategy and format is validated by dbt-spark as before.
-#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {% if raw_strategy == 'merge' and file_format not in ['delta', 'iceberg', 'hudi'] %}
        {{ return(raw_strategy) }}
    {% endif %}
    {{ return(dbt.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{% endmacro %}
