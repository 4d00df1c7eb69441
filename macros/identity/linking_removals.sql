{#-
    int_identity_nodes classifies again the raw values whose set of records changed. A record joins a value
    only through rows int_identity_linking_identifiers writes (stamped linked_at), but it leaves one through
    rows that model deletes: a record that landed again without the value, that was linked by another name,
    or that is gone. Those rows are no longer anywhere to read, so the model's pre-hook logs every stored row
    it deletes in `<model>__removals` (record_key, id_type, id_value, link_value, removed_at), in the pass
    that finds them.
    The log holds one marker row (record_key null), the start of what it covers: a run that deletes rows
    without logging them (a full build, an incremental run that rebuilds every record) starts the log
    afresh, and int_identity_nodes reads the log only when it covers everything since its own last run;
    otherwise it compares the fingerprints of every value's records, as it did before the log.
    int_identity_nodes deletes the entries it has read (cdp.prune_linking_removals). A rebuilt record whose
    rows came back as they were is logged too: int_identity_nodes keeps only the logged rows the record no
    longer has.
-#}

{#- The log beside int_identity_linking_identifiers (`linking_identifiers`, its relation). -#}
{% macro linking_removals_relation(linking_identifiers) %}
    {{ return(linking_identifiers.incorporate(
        path={'identifier': linking_identifiers.identifier ~ '__removals'}, type='table'
    )) }}
{% endmacro %}

{#- (Re)creates the log with only its marker: it covers what is removed from this run on. -#}
{% macro start_linking_removals(linking_identifiers) %}
    {%- set marker_sql -%}
        select
            cast(null as {{ dbt.type_string() }}) as record_key,
            cast(null as {{ dbt.type_string() }}) as id_type,
            cast(null as {{ dbt.type_string() }}) as id_value,
            cast(null as {{ dbt.type_string() }}) as link_value,
            {{ cdp.run_timestamp() }} as removed_at
    {%- endset -%}
    {%- do cdp.cc_create_table(cdp.linking_removals_relation(linking_identifiers), marker_sql) -%}
{% endmacro %}

{#- Post-hook of int_identity_linking_identifiers: a full build starts the log afresh. -#}
{% macro start_linking_removals_on_full_build() %}
    {%- if execute and not is_incremental() -%}
        {%- do cdp.start_linking_removals(this) -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{#- Logs the stored rows in `rows` (the ones the pre-hook is about to delete) as removed by this run; starts
    the log first when it does not exist yet. -#}
{% macro log_linking_removals(linking_identifiers, rows) %}
    {%- set log = cdp.linking_removals_relation(linking_identifiers) -%}
    {%- if load_relation(log) is none -%}
        {%- do cdp.start_linking_removals(linking_identifiers) -%}
    {%- endif -%}
    {%- call statement('log_linking_removals') -%}
        insert into {{ log }} (record_key, id_type, id_value, link_value, removed_at)
        select record_key, id_type, id_value, link_value, {{ cdp.run_timestamp() }}
        from {{ rows }}
    {%- endcall -%}
{% endmacro %}

{#- The log when it covers everything removed after `since` (a SQL literal), else none. -#}
{% macro linking_removals_since(linking_identifiers, since) %}
    {%- set log = cdp.linking_removals_relation(linking_identifiers) -%}
    {%- if not execute or since is none or load_relation(log) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set started = run_query(
        'select count(*) from ' ~ log ~ ' where record_key is null and removed_at <= ' ~ since
    ).columns[0].values()[0] -%}
    {{ return(log if started else none) }}
{% endmacro %}

{#- Post-hook of int_identity_nodes: deletes the entries it has read (all but the marker). -#}
{% macro prune_linking_removals(linking_identifiers) %}
    {%- set log = cdp.linking_removals_relation(linking_identifiers) -%}
    {%- if not execute or load_relation(log) is none -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(cdp.delete_rows(log, 'record_key is not null and removed_at <= ' ~ cdp.run_timestamp())) }}
{% endmacro %}
