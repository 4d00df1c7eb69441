{#-
    Data tests of the large incremental tables check the rows of the table's latest batch, not the whole
    table: an hourly run then tests what it wrote, at a cost that follows its batch. A test opts in with a
    `where` placeholder (dbt renders a test's `where` without the project's macros, hence the placeholder):

      where: "__latest_batch__(stamp)"         the rows whose `stamp` is the table's newest: the rows the
                                               last run wrote, when `stamp` is set to the run's timestamp
                                               (cdp.run_timestamp) on every row a run writes;
      where: "__latest_batch__(stamp, key)"    every row sharing `key` with a row of that batch. For a test of
                                               uniqueness on `key` (or on columns led by it) this is complete:
                                               two rows that collide share `key`, so a collision involving a
                                               row of the batch has both rows in the scope.

    The newest stamp, not this invocation's timestamp: `dbt test` after `dbt run` checks what the run wrote.
    What a scoped test cannot see: rows of earlier batches (a batch whose tests failed is not tested again),
    and, for `relationships`, parent rows deleted under older child rows. So the whole tables are tested on
    a full refresh and whenever var('data_tests_scope') is 'all'; the daily Dagster build sets it.
    Any other `where` works as dbt's.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') or '' -%}
    {%- set batch = modules.re.fullmatch('\s*__latest_batch__\(\s*(\w+)\s*(?:,\s*(\w+)\s*)?\)\s*', where) -%}
    {%- if batch is none -%}
        {{ return(adapter.dispatch('get_where_subquery', 'dbt')(relation)) }}
    {%- endif -%}
    {%- if cdp.data_tests_scope() == 'all' -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set stamp, key = batch.group(1), batch.group(2) -%}
    {#- The newest stamp, read once; a table written by one run (a first build) is one batch: test it whole,
        without the probe. Before the table exists (compiling without a warehouse) the query reads it. -#}
    {%- set newest = '(select max(' ~ stamp ~ ') from ' ~ relation ~ ')' -%}
    {%- if execute and load_relation(relation) is not none -%}
        {%- set bounds = run_query(
            'select min(' ~ stamp ~ '), max(' ~ stamp ~ ') from ' ~ relation
        ).rows[0] -%}
        {%- if bounds[0] == bounds[1] -%}
            {{ return(relation) }}
        {%- endif -%}
        {%- set newest = cdp.timestamp_literal(bounds[1]) -%}
    {%- endif -%}
    {%- set latest -%}
        select {{ key or '*' }} from {{ relation }}
        where {{ stamp }} = {{ newest }}
    {%- endset -%}
    {%- if key -%}
        {{ return('(select * from ' ~ relation ~ ' where ' ~ key ~ ' in (' ~ latest ~ ')) dbt_subquery') }}
    {%- endif -%}
    {{ return('(' ~ latest ~ ') dbt_subquery') }}
{%- endmacro %}

{#- What the data tests with a `__latest_batch__` scope check: 'latest_batch' (the default) or 'all' (whole
    tables; always on a full refresh). -#}
{% macro data_tests_scope() %}
    {%- set scope = var('data_tests_scope', 'latest_batch') -%}
    {%- if scope not in ('latest_batch', 'all') -%}
        {{ exceptions.raise_compiler_error(
            "var('data_tests_scope') must be 'latest_batch' or 'all', not '" ~ scope ~ "'"
        ) }}
    {%- endif -%}
    {{ return('all' if flags.FULL_REFRESH else scope) }}
{% endmacro %}
