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

{#- Pre-hook: store the fingerprints and linked_at of the records to rebuild (cdp.rebuilt_records: the landed
    ones and `also`), then delete their rows and those of records that are gone (cdp.forget_landed_records
    when there is no stamp to keep). -#}
{% macro forget_relinked_records(records, also) %}
    {%- set relinked = cdp.relinked_records_relation() -%}
    {%- if relinked is none -%}
        {{ return(cdp.forget_landed_records(records, also)) }}
    {%- endif -%}
    {%- set stamps_sql -%}
        select
            record_key,
            {{ cdp.linking_rows_fingerprint() }} as rows_fingerprint,
            max(linked_at) as linked_at
        from {{ this }}
        where record_key in ({{ cdp.rebuilt_records(records, cdp.landed_records_since(), also) }})
        group by record_key
    {%- endset -%}
    {%- do cdp.cc_create_table(relinked, stamps_sql, temporary=true) -%}
    {{ return(cdp.forget_records(records, 'select record_key from ' ~ relinked)) }}
{% endmacro %}
