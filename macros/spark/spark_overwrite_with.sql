{#-
    Replaces every row of the Parquet table `relation` with the result of `sql`, which may read `relation`
    itself (Spark refuses INSERT OVERWRITE of a table the query reads): the result is written to a work
    table <relation>__cdp_rewrite first, then copied over the table, and the work table is dropped.
    What DELETE, UPDATE and MERGE become on a format that cannot change rows in place.
-#}
{% macro spark_overwrite_with(relation, sql) %}
    {% set work_relation = cdp.spark_work_table(relation, 'rewrite', sql) %}
    {% do run_query('insert overwrite table ' ~ relation ~ ' select * from ' ~ work_relation) %}
    {% do run_query('drop table ' ~ work_relation) %}
{% endmacro %}

{#-
    Writes the result of `sql` to the Parquet work table <relation>__cdp_<name> beside `relation` (replacing
    one a failed run left behind) and returns it; the caller drops it when done.
-#}
{% macro spark_work_table(relation, name, sql) %}
    {% set work_relation = relation.incorporate(path={'identifier': relation.identifier ~ '__cdp_' ~ name}) %}
    {% do run_query('drop table if exists ' ~ work_relation) %}
    {% do run_query('create table ' ~ work_relation ~ ' using parquet as ' ~ sql) %}
    {{ return(work_relation) }}
{% endmacro %}
