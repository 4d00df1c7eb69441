{#-
    The relation a model reads its own previous version from (load_relation(this) semantics: none before
    the first build). DuckDB and Snowflake read the old table while they replace it: that is `this` itself.
    dbt-spark drops a Parquet table before it creates it again, so on Spark the previous version is first
    copied to <this>__previous, kept until the next build: if a build fails after the drop, the next one
    starts again from that copy (to start afresh on Spark, drop both tables). The copy is taken only when
    the model is about to be built (`dbt run`, `build`, `retry`), not by `dbt compile` or `docs generate`.
-#}
{% macro previous_version(relation) %}
    {{ return(adapter.dispatch('previous_version', 'cdp')(relation)) }}
{% endmacro %}

{% macro default__previous_version(relation) %}
    {{ return(load_relation(relation)) }}
{% endmacro %}

{% macro spark__previous_version(relation) %}
    {% set existing = load_relation(relation) %}
    {% if config.get('file_format', 'parquet') in ['delta', 'iceberg', 'hudi']
        or flags.WHICH not in ['run', 'build', 'retry'] %}
        {{ return(existing) }}
    {% endif %}
    {% set previous = relation.incorporate(path={'identifier': relation.identifier ~ '__previous'}) %}
    {% if existing is not none %}
        {% do run_query('drop table if exists ' ~ previous) %}
        {% do run_query('create table ' ~ previous ~ ' using parquet as select * from ' ~ existing) %}
        {% do adapter.cache_added(previous.incorporate(type='table')) %}
    {% endif %}
    {{ return(load_relation(previous)) }}
{% endmacro %}
