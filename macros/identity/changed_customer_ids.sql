{#-
    int_identity_customer_ids is incremental. A record's id can only change when its cluster or the
    records of its previous id changed, and int_identity_record_clusters rewrites (clustered_at) every
    record of a cluster it recomputed. So a run assigns ids again (dirty records) to:
      * the records whose cluster row was written since the ids' last run (resolved_at), the stored
        records that are gone and the records without a stored row;
      * every record of the current cluster and every record of the previous id of those, so that each
        cluster votes with all of its records and each previous id goes to the cluster holding most of its
        records.
    Any other record is in a cluster that did not change, with the one id all its records had: it keeps it.
    Its row stays as it is, unless the previous run assigned it (new_record, merged, split): it is relabelled
    `kept`, as a full recomputation would. The pre-hook moves the stored rows of the dirty and relabelled
    records into the work table (is_dirty tells them apart, every stored column kept) and deletes them; the
    post-hook drops it. The model reads the dirty ones
    as the previous version, and the rows left for the newest id number. With no usable stamp (the table
    lacks it, or is empty), every record is dirty: ids survive such a run as they survive --full-refresh.
-#}

{#- The work table of the dirty and relabelled records with their stored rows. A real table beside the model,
    not a session's: if the run fails after the pre-hook's delete (Spark and Snowflake do not undo it), the
    next run puts its rows back before anything else, so no id is lost. -#}
{% macro identity_customer_ids_work_relation() %}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '__cc_dirty'}, type='table')) }}
{% endmacro %}

{#- Pre-hook: the work table of the dirty and relabelled records with their stored rows; delete those. -#}
{% macro forget_changed_customer_ids(record_clusters) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set dirty_relation = cdp.identity_customer_ids_work_relation() -%}
    {%- set columns = cdp.column_names(this) -%}
    {%- set stored_columns = [
        'customer_id', 'cluster_key', 'previous_customer_id', 'id_assignment', 'customer_id_minted_at',
        'first_assigned_at', 'assigned_at', 'resolved_at',
    ] -%}
    {#- A work table left by a run that failed after its delete holds ids that must not be lost: its rows go
        back first. -#}
    {%- if 'resolved_at' in columns and load_relation(dirty_relation) is not none -%}
        {%- call statement('restore_customer_ids') -%}
            insert into {{ this }} (record_key, {{ stored_columns | join(', ') }})
            select record_key, {{ stored_columns | join(', ') }}
            from {{ dirty_relation }}
            where
                customer_id is not null
                and record_key not in (select record_key from {{ this }})
        {%- endcall -%}
    {%- endif -%}
    {%- set since = cdp.identity_rows_since('resolved_at') -%}
    {%- if since is none -%}
        {%- set stored_columns = stored_columns | select('in', columns) | list -%}
    {%- endif -%}
    {%- set dirty_sql -%}
        with

        {% if since is none -%}
        dirty_records as (
            select record_key from {{ this }}
            union
            select record_key from {{ record_clusters }}
        ),
        {%- else -%}
        -- One join finds all three: rewritten since, stored but gone, and without a stored row.
        changed_records as (
            select coalesce(record_clusters.record_key, stored.record_key) as record_key
            from {{ record_clusters }} as record_clusters
            full outer join {{ this }} as stored
                on record_clusters.record_key = stored.record_key
            where
                record_clusters.record_key is null
                or stored.record_key is null
                or record_clusters.clustered_at > {{ since }}
        ),

        changed_clusters as (
            select distinct record_clusters.cluster_key
            from {{ record_clusters }} as record_clusters
            inner join changed_records
                on record_clusters.record_key = changed_records.record_key
        ),

        changed_ids as (
            select distinct stored.customer_id
            from {{ this }} as stored
            inner join changed_records
                on stored.record_key = changed_records.record_key
        ),

        dirty_records as (
            select record_key from changed_records
            union
            select record_clusters.record_key
            from {{ record_clusters }} as record_clusters
            inner join changed_clusters
                on record_clusters.cluster_key = changed_clusters.cluster_key
            union
            select stored.record_key
            from {{ this }} as stored
            inner join changed_ids
                on stored.customer_id = changed_ids.customer_id
        ),
        {%- endif %}

        final as (
            select
                dirty_records.record_key,
                true as is_dirty,
                {%- for column in stored_columns %}
                stored.{{ column }}{{ ',' if not loop.last }}
                {%- endfor %}
            from dirty_records
            left join {{ this }} as stored
                on dirty_records.record_key = stored.record_key
            union all
            select
                stored.record_key,
                false as is_dirty,
                {%- for column in stored_columns %}
                stored.{{ column }}{{ ',' if not loop.last }}
                {%- endfor %}
            from {{ this }} as stored
            left join dirty_records
                on stored.record_key = dirty_records.record_key
            where
                dirty_records.record_key is null
                and stored.id_assignment != 'kept'
        )

        select * from final
    {%- endset -%}
    {{ return(cdp.forget_dirty_rows('record_key', dirty_sql, dirty_relation, temporary=false)) }}
{% endmacro %}
