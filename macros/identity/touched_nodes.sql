{#-
    int_identity_nodes is incremental: a run reclassifies only the identifier values whose records changed.
    A node's classification depends on the records carrying its raw value (how many, the first names behind
    them, the stronger identifiers they hold) and on the rules (identity_id_types, identity_blocklist, the
    var identity_max_people_per_identifier). A raw value is touched, and every link value of it (a split
    family email is one node per person) classified again, when:
      * the set of records carrying one of its link values changed (records_fingerprint, an order-free
        hash of their keys, differs from the stored one), or the link value is new or gone;
      * a record carrying it was rewritten by int_identity_linking_identifiers since the nodes were last
        classified (linked_at): it landed again, or its split identifiers were linked anew, so the stronger
        values its other identifiers see may have changed.
    A record joins a value only through rows stamped with linked_at, and leaves one only through rows
    int_identity_linking_identifiers deletes and logs (macros/identity/removals.sql). When the log
    covers everything since the nodes' last run, the touched values are read from those two: the values of
    the rows linked since, and the logged values their record no longer carries. Otherwise the fingerprint
    of every value's records is compared with the stored one (a pass over every linking identifier).
    When the rules changed (rules_version), the table lacks those columns, or it is empty, every node is
    classified again. The pre-hook lists the touched raw values in a work table and deletes their nodes; the
    model appends them again; the post-hook drops the work table.
-#}

{#- The rules a node's classification depends on, as one string stored with every node. -#}
{% macro identity_nodes_rules_version() %}
    {{ return(
        cdp.rules_version(ref('int_identity_rules'),
            ['id_type', 'priority', 'max_per_customer', 'max_records_per_value', 'when_shared'])
        ~ '/' ~ cdp.rules_version(ref('identity_blocklist'), ['id_type', 'match_type', 'pattern', 'reason'])
        ~ '/' ~ var('identity_max_people_per_identifier')
    ) }}
{% endmacro %}

{#- When the stored nodes were last classified (a SQL literal), or none when every node is to be. -#}
{% macro identity_nodes_since(rules_version) %}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set columns = cdp.column_names(this) -%}
    {%- if 'classified_at' not in columns or 'rules_version' not in columns
        or 'records_fingerprint' not in columns -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set stored = run_query(
        'select max(classified_at), min(rules_version), max(rules_version) from ' ~ this
    ).rows[0] -%}
    {%- if stored[0] is none or stored[1] != rules_version or stored[2] != rules_version -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(cdp.timestamp_literal(stored[0])) }}
{% endmacro %}

{#- The work table of the touched raw values (raw_key: `<id_type>:<id_value>`). -#}
{% macro identity_nodes_touched_relation() %}
    {{ return(cdp.cc_work_relation(this, 'touched')) }}
{% endmacro %}

{#- Pre-hook: list the touched raw values and delete their nodes (every node when `since` is none). -#}
{% macro forget_touched_nodes(linking_identifiers, rules_version) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set since = cdp.identity_nodes_since(rules_version) -%}
    {%- if since is none -%}
        {{ return(cdp.delete_rows(this, 'true')) }}
    {%- endif -%}
    {%- set removals = cdp.removals_since(linking_identifiers, since) -%}
    {%- if removals is not none -%}
    {%- set touched_ctes -%}
        logged as (
            select record_key, id_type, id_value, link_value
            from {{ removals }}
            where record_key is not null and removed_at > {{ since }}
        ),

        -- What the logged records carry now: a row logged and written again as it was is no removal.
        carried as (
            select record_key, id_type, link_value
            from {{ linking_identifiers }}
            where record_key in (select record_key from logged)
        ),

        touched as (
            select id_type, id_value
            from {{ linking_identifiers }}
            where linked_at > {{ since }}
            union all
            select logged.id_type, logged.id_value
            from logged
            left join carried
                on
                    logged.record_key = carried.record_key
                    and logged.id_type = carried.id_type
                    and logged.link_value = carried.link_value
            where carried.record_key is null
        )

    {%- endset -%}
    {%- else -%}
    {%- set touched_ctes -%}
        current_nodes as (
            select
                id_type,
                link_value,
                min(id_value) as raw_value,
                {{ cdp.set_fingerprint(['record_key']) }} as records_fingerprint,
                max(linked_at) as linked_at
            from {{ linking_identifiers }}
            group by id_type, link_value
        ),

        touched as (
            select current_nodes.id_type, current_nodes.raw_value as id_value
            from current_nodes
            left join {{ this }} as stored
                on
                    current_nodes.id_type = stored.id_type
                    and current_nodes.link_value = stored.id_value
            where
                stored.node_key is null
                or stored.records_fingerprint is null
                or stored.records_fingerprint != current_nodes.records_fingerprint
                or current_nodes.linked_at > {{ since }}
            union all
            select stored.id_type, stored.raw_value as id_value
            from {{ this }} as stored
            left join current_nodes
                on
                    stored.id_type = current_nodes.id_type
                    and stored.id_value = current_nodes.link_value
            where current_nodes.link_value is null
        )

    {%- endset -%}
    {%- endif -%}
    {%- set touched_sql -%}
        with

        {{ touched_ctes }}

        select distinct {{ dbt.concat(["id_type", "':'", "id_value"]) }} as raw_key
        from touched
    {%- endset -%}
    {%- set touched_relation = cdp.identity_nodes_touched_relation() -%}
    {%- do cdp.cc_create_table(touched_relation, touched_sql, temporary=true) -%}
    {{ return(cdp.delete_rows(this,
        dbt.concat(["id_type", "':'", "raw_value"]) ~ ' in (select raw_key from ' ~ touched_relation ~ ')'
    )) }}
{% endmacro %}
