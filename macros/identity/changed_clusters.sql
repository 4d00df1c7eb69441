{#-
    int_identity_clusters and int_identity_record_clusters are incremental: a run recomputes the clusters of
    the components the batch touched and keeps every other row (node ids are stable, so a kept row is still
    right). A node's cluster depends only on its component: the links inside it (int_identity_edges), the
    nodes in it (which may link, their priority) and their account names (int_identity_identifier_names).

    A node is changed when
      * a link at it is new, gone or of another priority: the links are compared with the ones the stored
        clusters were built from (the table <clusters>__edges, written by the pre-hook of each run);
      * int_identity_nodes classified it since the clusters' last run (classified_at): its records changed,
        which covers new nodes, changed account names and changed priorities;
      * it is stored but no longer links (gone, quarantined), or links but is not stored (a new node without
        links, or a row a failed run deleted).
    The clusters of every node of the current component and of the stored component of a changed node are
    recomputed (dirty nodes). A node outside them has the same component as before, with the same links and
    nodes: its cluster cannot have changed.

    The cluster-rules version (id types with their limits, the first-name equivalences) is stored with every
    row; when it changed, when the table lacks these columns or the links of the last run are missing, every
    cluster is computed again.

    A record's cluster is its anchor's. A record's anchor changes only when one of its identifiers was
    classified again, so a record is recomputed when its anchor, stored or current, is a node whose cluster
    row was rewritten since the record clusters' last run or no longer exists, or when it landed again.
-#}

{#- The rules a cluster depends on besides the graph, as one string stored with every cluster. -#}
{% macro identity_clusters_rules_version() %}
    {{ return(
        cdp.rules_version(ref('int_identity_rules'), ['id_type', 'priority', 'max_per_customer', 'is_account'])
        ~ '/' ~ cdp.rules_version(ref('int_first_name_equivalences'), ['name_key_a', 'name_key_b'])
    ) }}
{% endmacro %}

{#- The links the stored clusters were computed from (node_a, node_b, edge_priority). -#}
{% macro identity_clustered_edges_relation() %}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '__edges'}, type='table')) }}
{% endmacro %}

{#- The work table of the dirty rows a run recomputes: nodes (int_identity_clusters) or records
    (int_identity_record_anchors, int_identity_record_clusters). -#}
{% macro identity_dirty_relation() %}
    {{ return(cdp.cc_work_relation(this, 'dirty')) }}
{% endmacro %}

{#- int_identity_clusters' `since`. -#}
{% macro identity_clusters_model_since(rules_version) %}
    {{ return(cdp.identity_rows_since(
        'clustered_at', ['rules_version', 'component_id'], rules_version, cdp.identity_clustered_edges_relation()
    )) }}
{% endmacro %}

{#- Pre-hook of int_identity_clusters: list the dirty nodes, store the links of this run, delete the dirty
    rows (every row when `since` is none). A full build only stores the links. -#}
{% macro forget_changed_clusters(edges, nodes, components, rules_version) %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set clustered_edges = cdp.identity_clustered_edges_relation() -%}
    {%- set links_sql = 'select node_a, node_b, edge_priority from ' ~ edges -%}
    {%- if not is_incremental() -%}
        {%- do cdp.cc_create_table(clustered_edges, links_sql) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set since = cdp.identity_clusters_model_since(rules_version) -%}
    {%- if since is none -%}
        {%- do cdp.cc_create_table(clustered_edges, links_sql) -%}
        {{ return(cdp.delete_rows(this, 'true')) }}
    {%- endif -%}
    {%- set dirty_sql -%}
        with

        current_links as (
            {{ links_sql }}
        ),

        clustered_links as (
            select node_a, node_b, edge_priority from {{ clustered_edges }}
        ),

        new_links as (
            select * from current_links
            except
            select * from clustered_links
        ),

        gone_links as (
            select * from clustered_links
            except
            select * from current_links
        ),

        changed_links as (
            select * from new_links
            union all
            select * from gone_links
        ),

        linkable_nodes as (
            select node_id, classified_at from {{ nodes }}
            where is_linkable
        ),

        changed_nodes as (
            select node_a as node_id from changed_links
            union all
            select node_b as node_id from changed_links
            union all
            select node_id from linkable_nodes
            where classified_at > {{ since }}
            union all
            select stored.node_id
            from {{ this }} as stored
            left join linkable_nodes
                on stored.node_id = linkable_nodes.node_id
            where linkable_nodes.node_id is null
            union all
            select linkable_nodes.node_id
            from linkable_nodes
            left join {{ this }} as stored
                on linkable_nodes.node_id = stored.node_id
            where stored.node_id is null
        ),

        distinct_changed_nodes as (
            select distinct node_id from changed_nodes
        ),

        current_dirty_components as (
            select distinct components.component_id
            from {{ components }} as components
            inner join distinct_changed_nodes
                on components.node_id = distinct_changed_nodes.node_id
        ),

        stored_dirty_components as (
            select distinct stored.component_id
            from {{ this }} as stored
            inner join distinct_changed_nodes
                on stored.node_id = distinct_changed_nodes.node_id
            where stored.component_id is not null
        ),

        dirty_nodes as (
            select node_id from distinct_changed_nodes
            union all
            select components.node_id
            from {{ components }} as components
            inner join current_dirty_components
                on components.component_id = current_dirty_components.component_id
            union all
            select stored.node_id
            from {{ this }} as stored
            inner join stored_dirty_components
                on stored.component_id = stored_dirty_components.component_id
        )

        select distinct node_id from dirty_nodes
    {%- endset -%}
    {%- set delete_dirty_rows = cdp.forget_dirty_rows('node_id', dirty_sql, cdp.identity_dirty_relation()) -%}
    {#- The dirty nodes are listed: from now on the stored rows match the links of this run, or are missing
        (a failed run), which the next run recomputes. -#}
    {%- do cdp.cc_create_table(clustered_edges, links_sql) -%}
    {{ return(delete_dirty_rows) }}
{% endmacro %}

{#- Pre-hook of int_identity_record_clusters: list the records whose anchor, stored or current, is a node
    whose cluster was rewritten since the model's last run or is gone, and the records that landed since
    (their first and last seen times; a run that skipped the clusters still refreshes them); delete their
    rows. -#}
{% macro forget_changed_record_clusters(records, anchors, clusters) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set since = cdp.identity_rows_since('clustered_at', ['loaded_at']) -%}
    {%- set landed_since = cdp.landed_records_since() -%}
    {%- if since is none or landed_since is none -%}
        {{ return(cdp.delete_rows(this, 'true')) }}
    {%- endif -%}
    {%- set dirty_sql -%}
        with

        rewritten_nodes as (
            select node_id from {{ clusters }}
            where clustered_at > {{ since }}
        ),

        stored_anchors as (
            select distinct anchor_node_id from {{ this }}
        ),

        gone_nodes as (
            select stored_anchors.anchor_node_id as node_id
            from stored_anchors
            left join {{ clusters }} as clusters
                on stored_anchors.anchor_node_id = clusters.node_id
            where clusters.node_id is null
        ),

        changed_nodes as (
            select node_id from rewritten_nodes
            union all
            select node_id from gone_nodes
        ),

        dirty_records as (
            select anchors.record_key
            from {{ anchors }} as anchors
            inner join changed_nodes
                on anchors.anchor_node_id = changed_nodes.node_id
            union all
            select stored.record_key
            from {{ this }} as stored
            inner join changed_nodes
                on stored.anchor_node_id = changed_nodes.node_id
            union all
            select record_key from {{ records }}
            where loaded_at > {{ landed_since }}
        )

        select distinct record_key from dirty_records
    {%- endset -%}
    {{ return(cdp.forget_dirty_rows('record_key', dirty_sql, cdp.identity_dirty_relation())) }}
{% endmacro %}
