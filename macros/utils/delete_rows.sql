{#-
    SQL deleting the rows of `relation` for which `condition` is true; for post-hooks (a forgotten customer's
    rows). On Spark, Delta, Iceberg and Hudi tables take DELETE; a Parquet table cannot delete rows, so when
    some row matches it is rewritten without them (cdp.spark_overwrite_with) and the hook has nothing left
    to run.
-#}
{% macro delete_rows(relation, condition) %}
    {{ return(adapter.dispatch('delete_rows', 'cdp')(relation, condition)) }}
{% endmacro %}

{% macro default__delete_rows(relation, condition) %}
    delete from {{ relation }} where {{ condition }}
{% endmacro %}

{% macro spark__delete_rows(relation, condition) %}
    {% if config.get('file_format', 'parquet') in ['delta', 'iceberg', 'hudi'] %}
        {{ return(cdp.default__delete_rows(relation, condition)) }}
    {% endif %}
    {% if execute and run_query('select 1 from ' ~ relation ~ ' where ' ~ condition ~ ' limit 1').rows %}
        {% do cdp.spark_overwrite_with(
            relation, 'select * from ' ~ relation ~ ' where not coalesce(' ~ condition ~ ', false)'
        ) %}
    {% endif %}
    {{ return('') }}
{% endmacro %}
