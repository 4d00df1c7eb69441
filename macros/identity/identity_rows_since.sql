{#-
    The incremental identity models that recompute only what a run touched (int_identity_clusters,
    int_identity_record_clusters, int_identity_record_anchors, int_identity_customer_ids) stamp every row
    with the start of the run that wrote it (`timestamp_column`, cdp.run_timestamp). Their `since` is the
    newest stamp as a SQL literal: what changed upstream after it is what the run recomputes.
    It is none, and the model is computed in full, on a full build, when the table lacks one of
    `required_columns` or is empty, when `rules_version` is given and differs from the one stored on any
    row, or when the relation `needs` (a table the model keeps beside it) is missing.
-#}
{% macro identity_rows_since(timestamp_column, required_columns=[], rules_version=none, needs=none) %}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set columns = cdp.column_names(this) -%}
    {%- for column in [timestamp_column] + required_columns + (['rules_version'] if rules_version is not none else []) %}
        {%- if column not in columns -%}
            {{ return(none) }}
        {%- endif -%}
    {%- endfor %}
    {%- if needs is not none and load_relation(needs) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if rules_version is none -%}
        {%- set stored = run_query('select max(' ~ timestamp_column ~ ') from ' ~ this).rows[0] -%}
    {%- else -%}
        {%- set stored = run_query(
            'select max(' ~ timestamp_column ~ '), min(rules_version), max(rules_version) from ' ~ this
        ).rows[0] -%}
        {%- if stored[1] != rules_version or stored[2] != rules_version -%}
            {{ return(none) }}
        {%- endif -%}
    {%- endif -%}
    {%- if stored[0] is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(cdp.timestamp_literal(stored[0])) }}
{% endmacro %}

{#- Post-hook of those models: drops the work table `work_relation` once the new rows are in. -#}
{% macro drop_work_table(work_relation) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {{ return('drop table if exists ' ~ work_relation) }}
{% endmacro %}

{#- Pre-hook tail of those models: lists the keys `key_sql` selects (one column, `key`) in the work table
    `work_relation` and returns the delete of their rows. -#}
{% macro forget_dirty_rows(key, key_sql, work_relation, temporary=true) %}
    {%- do cdp.cc_create_table(work_relation, key_sql, temporary=temporary) -%}
    {{ return(cdp.delete_rows(this, key ~ ' in (select ' ~ key ~ ' from ' ~ work_relation ~ ')')) }}
{% endmacro %}
