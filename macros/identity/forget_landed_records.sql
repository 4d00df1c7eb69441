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
