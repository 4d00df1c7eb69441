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
    {%- set dirty_relation = cdp.identity_dirty_relation() -%}
    {%- do cdp.cc_create_table(dirty_relation, dirty_sql, temporary=true) -%}
    {{ return(cdp.delete_rows(this, 'record_key in (select record_key from ' ~ dirty_relation ~ ')')) }}
{% endmacro %}

{#-
    int_identity_rule_edges is incremental too. A record contributes the links from its anchor to its other
    linkable nodes. Those change only for a record whose anchor row was rewritten since the rule edges' last
    run (anchored_at) or for a node classified again (its priority, whether it links), and a record's old
    nodes are its current ones or nodes classified again (it lost them). So the dirty nodes are the nodes of
    the re-anchored records, the nodes classified again, and the ends of stored links that no longer link
    (gone nodes). Every link at a dirty node is recomputed from every record holding that node; a link
    between two clean nodes has the same records as before, which did not change.
-#}

{#- Pre-hook of int_identity_rule_edges: list the dirty nodes and delete the links at them. -#}
{% macro forget_changed_rule_edges(linking_identifiers, nodes, anchors) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set since = cdp.identity_rows_since('computed_at') -%}
    {%- if since is none -%}
        {{ return(cdp.delete_rows(this, 'true')) }}
    {%- endif -%}
    {%- set dirty_sql -%}
        with

        linkable_nodes as (
            select node_id, id_type, id_value, classified_at from {{ nodes }}
            where is_linkable
        ),

        reanchored_records as (
            select record_key from {{ anchors }}
            where anchored_at > {{ since }}
        ),

        dirty_nodes as (
            select linkable_nodes.node_id
            from {{ linking_identifiers }} as identifiers
            inner join reanchored_records
                on identifiers.record_key = reanchored_records.record_key
            inner join linkable_nodes
                on
                    identifiers.id_type = linkable_nodes.id_type
                    and identifiers.link_value = linkable_nodes.id_value
            union all
            select node_id from {{ nodes }}
            where classified_at > {{ since }}
            union all
            select stored.node_a as node_id
            from {{ this }} as stored
            left join linkable_nodes
                on stored.node_a = linkable_nodes.node_id
            where linkable_nodes.node_id is null
            union all
            select stored.node_b as node_id
            from {{ this }} as stored
            left join linkable_nodes
                on stored.node_b = linkable_nodes.node_id
            where linkable_nodes.node_id is null
        )

        select distinct node_id from dirty_nodes
    {%- endset -%}
    {%- set dirty_relation = cdp.identity_dirty_relation() -%}
    {%- do cdp.cc_create_table(dirty_relation, dirty_sql, temporary=true) -%}
    {{ return(cdp.delete_rows(this,
        'node_a in (select node_id from ' ~ dirty_relation ~ ') or node_b in (select node_id from '
        ~ dirty_relation ~ ')'
    )) }}
{% endmacro %}
