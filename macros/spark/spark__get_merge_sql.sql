{#-
    The `merge` incremental strategy on Spark (overrides dbt-spark's spark__get_merge_sql). Delta, Iceberg
    and Hudi tables run dbt-spark's MERGE INTO. A Parquet table cannot update rows in place, so:
      * when no row of the new batch has a unique key already in the table (the usual case: new events, new
        history rows), the batch is appended with one INSERT INTO;
      * otherwise the table is rewritten as its rows whose key is not in the batch plus the batch (the
        batch replaces what it matches, as MERGE would), through cdp.spark_overwrite_with.
    `source` is dbt-spark's temporary view of the model's SQL, which may read the target: every statement
    below reads it while the target still holds the previous rows.
-#}
{% macro spark__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) %}
    {% if config.get('file_format', 'parquet') in ['delta', 'iceberg', 'hudi'] %}
        {{ return(dbt.spark__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates)) }}
    {% endif %}
    {% set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | join(', ') %}
    {% set keys = [unique_key] if unique_key is string else (unique_key or []) %}
    {% set key_match %}
        {%- for key in keys %}{{ ' and ' if not loop.first }}existing.{{ key }} = batch.{{ key }}{% endfor -%}
    {% endset %}
    {% set matched = keys and run_query(
        'select 1 from ' ~ target ~ ' as existing left semi join ' ~ source ~ ' as batch on ' ~ key_match
        ~ ' limit 1'
    ).rows | length > 0 %}
    {% if not matched %}
        {{ return('insert into table ' ~ target ~ ' select ' ~ columns ~ ' from ' ~ source) }}
    {% endif %}
    {% set merged_sql %}
        select {{ columns }} from {{ target }} as existing
        left anti join {{ source }} as batch
            on {{ key_match }}
        union all
        select {{ columns }} from {{ source }}
    {% endset %}
    {% do cdp.spark_overwrite_with(target, merged_sql) %}
    {{ return('refresh table ' ~ target) }}
{% endmacro %}
