{#- The keys of the records a run rebuilds: those that landed after `since`, and `also`. -#}
{% macro rebuilt_records(records, since, also=none) %}
    {{ return(
        'select record_key from ' ~ records ~ ' where loaded_at > ' ~ since ~ (' union all ' ~ also if also else '')
    ) }}
{% endmacro %}

{#- The delete of the rows of the records `rebuilt` (a query of record keys) and of the records that are no
    longer in `records`. -#}
{% macro forget_records(records, rebuilt) %}
    {{ return(cdp.delete_rows(this,
        'record_key in (' ~ rebuilt ~ ') or record_key not in (select record_key from ' ~ records ~ ')'
    )) }}
{% endmacro %}

{#-
    Pre-hook: delete the rows of the records this run rebuilds, and of records that are gone; every row when
    an incremental run rebuilds everything (an empty table, one from before the loaded_at column). `also`, a
    query of record keys, names more records to rebuild (records whose rows depend on other records too); it
    joins the landed records in one set, which one semi-join reads (an `or` of subqueries costs a join each).
-#}
{% macro forget_landed_records(records, also=none) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set since = cdp.landed_records_since() -%}
    {%- if since is none -%}
        {{ return(cdp.delete_rows(this, 'true')) }}
    {%- endif -%}
    {{ return(cdp.forget_records(records, cdp.rebuilt_records(records, since, also))) }}
{% endmacro %}

{#- The work table of the stored rows the pre-hook of int_identity_identifiers deletes. -#}
{% macro forgotten_rows_relation() %}
    {{ return(cdp.cc_work_relation(this, 'forgotten_rows')) }}
{% endmacro %}

{#- Pre-hook of int_identity_identifiers: as forget_landed_records, but the rows to delete (of the records
    that landed since and of the records that are gone) are first copied to a work table in one pass and
    logged as removed (macros/identity/removals.sql); a run that deletes every row starts the log afresh. -#}
{% macro forget_logged_records(records, columns) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set since = cdp.landed_records_since() -%}
    {%- if since is none -%}
        {{ return(cdp.forget_unlogged_records(records, columns)) }}
    {%- endif -%}
    {{ return(cdp.forget_logged_rows(
        records, cdp.rebuilt_records(records, since), cdp.forgotten_rows_relation(), columns
    )) }}
{% endmacro %}
