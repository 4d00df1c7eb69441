{#-
    Logs of removed rows. A per-record identity model deletes the stored rows of the records a run rebuilds
    (they landed again, or their rows depend on other records) and of the records that are gone, then
    appends the new ones. What a record joins shows in the rows the run writes (stamped), but what it left
    is gone by the time a downstream model runs. So the pre-hook logs every stored row it deletes in
    `<model>__removals` (record_key, the model's value columns, removed_at), in the pass that finds them,
    and the one downstream model that reads the log deletes its entries once read:
      * int_identity_linking_identifiers (id_type, id_value, link_value), read by int_identity_nodes;
      * int_identity_identifiers (id_type, id_value), read by int_identity_identifier_names.
    The log holds one marker row (record_key null), the start of what it covers: a run that deletes rows
    without logging them (a full build, an incremental run that rebuilds every record) starts the log
    afresh, and the reader uses the log only when it covers everything since its own last run; otherwise it
    recomputes as it did before the log. A rebuilt record whose rows came back as they were is logged too:
    the reader keeps only what it needs (int_identity_nodes: the logged rows the record no longer has).
-#}

{#- The log beside `relation` (a per-record model). -#}
{% macro removals_relation(relation) %}
    {{ return(relation.incorporate(path={'identifier': relation.identifier ~ '__removals'}, type='table')) }}
{% endmacro %}

{#- (Re)creates the log with only its marker: it covers what is removed from this run on. -#}
{% macro start_removals(relation, columns) %}
    {%- set marker_sql -%}
        select
            cast(null as {{ dbt.type_string() }}) as record_key,
            {%- for column in columns %}
            cast(null as {{ dbt.type_string() }}) as {{ column }},
            {%- endfor %}
            {{ cdp.run_timestamp() }} as removed_at
    {%- endset -%}
    {%- do cdp.cc_create_table(cdp.removals_relation(relation), marker_sql) -%}
{% endmacro %}

{#- Post-hook of a logging model: a full build starts the log afresh. -#}
{% macro start_removals_on_full_build(columns) %}
    {%- if execute and not is_incremental() -%}
        {%- do cdp.start_removals(this, columns) -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{#- Logs the stored rows in `rows` (those the pre-hook is about to delete) as removed by this run; starts the
    log first when it does not exist yet. -#}
{% macro log_removals(relation, rows, columns) %}
    {%- set log = cdp.removals_relation(relation) -%}
    {%- if load_relation(log) is none -%}
        {%- do cdp.start_removals(relation, columns) -%}
    {%- endif -%}
    {%- call statement('log_removals') -%}
        insert into {{ log }} (record_key, {{ columns | join(', ') }}, removed_at)
        select record_key, {{ columns | join(', ') }}, {{ cdp.run_timestamp() }}
        from {{ rows }}
    {%- endcall -%}
{% endmacro %}

{#- Pre-hook step of a logging model: copies to the work table `rows`, in one pass over the table, its stored
    rows of the records `rebuilt` selects and of the records no longer in `records`; logs them as removed;
    returns the delete of those rows. -#}
{% macro forget_logged_rows(records, rebuilt, rows, columns) %}
    {%- set rows_sql -%}
        select * from {{ this }}
        where
            record_key in ({{ rebuilt }})
            or record_key not in (select record_key from {{ records }})
    {%- endset -%}
    {%- do cdp.cc_create_table(rows, rows_sql, temporary=true) -%}
    {%- do cdp.log_removals(this, rows, columns) -%}
    {{ return(cdp.delete_rows(this, 'record_key in (select record_key from ' ~ rows ~ ')')) }}
{% endmacro %}

{#- Pre-hook of a logging model on a run that cannot log what it deletes (it rebuilds every record, or its
    table predates what logging needs): starts the log afresh, then forgets as cdp.forget_landed_records. -#}
{% macro forget_unlogged_records(records, columns, also=none) %}
    {%- do cdp.start_removals(this, columns) -%}
    {{ return(cdp.forget_landed_records(records, also)) }}
{% endmacro %}

{#- The log of `relation` when it covers everything removed after `since` (a SQL literal), else none. -#}
{% macro removals_since(relation, since) %}
    {%- set log = cdp.removals_relation(relation) -%}
    {%- if not execute or since is none or load_relation(log) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set started = run_query(
        'select count(*) from ' ~ log ~ ' where record_key is null and removed_at <= ' ~ since
    ).columns[0].values()[0] -%}
    {{ return(log if started else none) }}
{% endmacro %}

{#- Post-hook of the reader: deletes the entries up to this run, which it has read (the marker stays). -#}
{% macro prune_removals(relation) %}
    {%- set log = cdp.removals_relation(relation) -%}
    {%- if not execute or load_relation(log) is none -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(cdp.delete_rows(log, 'record_key is not null and removed_at <= ' ~ cdp.run_timestamp())) }}
{% endmacro %}

{#- The value columns each log keeps. -#}
{% macro linking_removal_columns() %}
    {{ return(['id_type', 'id_value', 'link_value']) }}
{% endmacro %}

{% macro identifier_removal_columns() %}
    {{ return(['id_type', 'id_value']) }}
{% endmacro %}
