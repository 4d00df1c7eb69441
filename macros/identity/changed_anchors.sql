{#-
    int_identity_record_anchors is incremental. A record's anchor (its strongest linkable identifier) changes
    only when its identifiers change or one of them is classified again (linkable or not, its priority), and
    int_identity_nodes classifies again every value whose records changed or landed again. So a run
    recomputes the records holding a node classified since the anchors' last run (anchored_at), and drops
    the rows of records whose stored anchor was classified again or is gone (a record left without any
    identifier has no row). The other rows are kept.
-#}

{#- Pre-hook: list the dirty records in the work table and delete their rows (every row on a full run). -#}
{% macro forget_changed_anchors(linking_identifiers, nodes) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set since = cdp.identity_rows_since('anchored_at') -%}
    {%- if since is none -%}
        {{ return(cdp.delete_rows(this, 'true')) }}
    {%- endif -%}
    {%- set dirty_sql -%}
        with

        touched_nodes as (
            select node_id, id_type, id_value from {{ nodes }}
            where classified_at > {{ since }}
        ),

        dirty_records as (
            select identifiers.record_key
            from {{ linking_identifiers }} as identifiers
            inner join touched_nodes
                on
                    identifiers.id_type = touched_nodes.id_type
                    and identifiers.link_value = touched_nodes.id_value
            union all
            select stored.record_key
            from {{ this }} as stored
            left join {{ nodes }} as nodes
                on stored.anchor_node_id = nodes.node_id
            where nodes.node_id is null or nodes.classified_at > {{ since }}
        )

        select distinct record_key from dirty_records
    {%- endset -%}
    {{ return(cdp.forget_dirty_rows('record_key', dirty_sql, cdp.identity_dirty_relation())) }}
{% endmacro %}
