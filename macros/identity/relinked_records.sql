{#-
    int_identity_linking_identifiers rebuilds, on every run, the records that landed and every record carrying
    a split identifier (about one record in twenty: their link values depend on the names of other records).
    Most of those come out exactly as they were. linked_at must move only when a record's rows changed:
    int_identity_nodes classifies again every value of a record linked since its own last run, and each
    classification rewrites the clusters, record clusters and customer ids downstream of it.
    So the pre-hook keeps, for each record it rebuilds, a fingerprint of its stored rows and their linked_at
    in a work table (`<model>__cc_relinked`, a session table); the model gives a rebuilt record whose rows
    have the same fingerprint its old linked_at, and the run's timestamp otherwise.
-#}

{#- The columns of a record's rows whose change means the record was linked anew (all but linked_at). -#}
{% macro linking_rows_fingerprint() %}
    {{ return(cdp.set_fingerprint([
        'source', 'entity', 'id_type', 'id_value', 'link_value', 'source_value', 'first_name_key',
        'first_seen_at', 'last_seen_at', 'loaded_at',
    ])) }}
{% endmacro %}

{#- The work table of the rebuilt records' stored fingerprints, or none when the run keeps no old stamp (a full
    build, every record rebuilt, a table from before linked_at). -#}
{% macro relinked_records_relation() %}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if 'linked_at' not in cdp.column_names(this) or cdp.landed_records_since() is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(cdp.relinked_work_relation()) }}
{% endmacro %}

{#- The name of that work table (the post-hook drops it whether or not the run kept stamps). -#}
{% macro relinked_work_relation() %}
    {{ return(cdp.cc_work_relation(this, 'relinked')) }}
{% endmacro %}

{#- The work table of the stored rows the run deletes: those of the records it rebuilds and of the records that
    are gone (the post-hook drops it). -#}
{% macro relinked_rows_relation() %}
    {{ return(cdp.cc_work_relation(this, 'relinked_rows')) }}
{% endmacro %}

{#- Pre-hook: copy the stored rows of the records to rebuild (cdp.rebuilt_records: the landed ones and `also`)
    and of the records that are gone into a work table, in one pass over the table; log them as removed
    (macros/identity/removals.sql); keep each rebuilt record's fingerprint and linked_at; then delete
    those rows. Without a stamp to keep, it falls back to cdp.forget_landed_records and starts the log
    afresh: it cannot tell what such a run removes. -#}
{% macro forget_relinked_records(records, also) %}
    {%- set relinked = cdp.relinked_records_relation() -%}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- if relinked is none -%}
        {{ return(cdp.forget_unlogged_records(records, cdp.linking_removal_columns(), also)) }}
    {%- endif -%}
    {%- set rows = cdp.relinked_rows_relation() -%}
    {%- set forget = cdp.forget_logged_rows(
        records,
        cdp.rebuilt_records(records, cdp.landed_records_since(), also),
        rows,
        cdp.linking_removal_columns(),
    ) -%}
    {%- set stamps_sql -%}
        select
            record_key,
            {{ cdp.linking_rows_fingerprint() }} as rows_fingerprint,
            max(linked_at) as linked_at
        from {{ rows }}
        group by record_key
    {%- endset -%}
    {%- do cdp.cc_create_table(relinked, stamps_sql, temporary=true) -%}
    {{ return(forget) }}
{% endmacro %}
