{#-
    The `merge` incremental strategy on Spark (overrides dbt-spark's spark__get_merge_sql). Delta, Iceberg
    and Hudi tables run dbt-spark's MERGE INTO. A Parquet table cannot update rows in place, so:
      * when no row of the new batch has a unique key already in the table (the usual case: new events, new
        history rows), the batch is appended with one INSERT INTO;
      * otherwise the table is rewritten as its rows whose key is not in the batch plus the batch (the
        batch replaces what it matches, as MERGE would), through cdp.spark_overwrite_with.
    `source` is dbt-spark's temporary view of the model's SQL, which may read the target: it is computed
    once into the work table <target>__cdp_batch, while the target still holds the previous rows, before
    anything is written; the work table is dropped after. The writes run here; the statement returned to
    the materialization only refreshes the table's metadata.
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
    {#- The batch is computed once, into a work table: the probe and the write below read that table, not
        the model's SQL again (planning a staging model's normalisers costs seconds on each reference). #}
    {% set batch_relation = cdp.spark_work_table(target, 'batch', 'select * from ' ~ source) %}
    {% set matched = keys and run_query(
        'select 1 from ' ~ target ~ ' as existing left semi join ' ~ batch_relation ~ ' as batch on '
        ~ key_match ~ ' limit 1'
    ).rows | length > 0 %}
    {% if not matched %}
        {% do run_query('insert into table ' ~ target ~ ' select ' ~ columns ~ ' from ' ~ batch_relation) %}
    {% else %}
        {% set merged_sql %}
            select {{ columns }} from {{ target }} as existing
            left anti join {{ batch_relation }} as batch
                on {{ key_match }}
            union all
            select {{ columns }} from {{ batch_relation }}
        {% endset %}
        {% do cdp.spark_overwrite_with(target, merged_sql) %}
    {% endif %}
    {% do run_query('drop table ' ~ batch_relation) %}
    {{ return('refresh table ' ~ target) }}
{% endmacro %}
