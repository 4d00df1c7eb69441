-- Stable customer ids. This model reads its own previous version (the ids every record had after the last
-- run), so a customer_id survives reruns and --full-refresh alike:
--   * a cluster whose records had one id keeps it, whatever records joined;
--   * when clusters merge, the oldest id survives and the others are merged into it;
--   * when a cluster splits, the part holding most of its records keeps the id (ties: smaller cluster_key);
--   * a cluster that inherits no id gets a new one from a sequence (deterministic: ordered by cluster_key).
-- To start ids afresh, drop this table.
-- Incremental: a run assigns ids again to the records of the clusters it rewrote, with every record of
-- their previous ids, and relabels `kept` the other records the previous run assigned
-- (macros/identity/changed_customer_ids.sql); the pre-hook moves their stored rows to a work table, which
-- stands for the previous version. A full build (or --full-refresh) reads the whole table.
{%- set run_at = cdp.run_timestamp() %}
{#- The previous ids: on an incremental run the work table of the records reassigned, else the whole table. -#}
{%- set previous_ids = cdp.identity_customer_ids_work_relation() if is_incremental()
    else (cdp.previous_version(this) if execute else none) %}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_changed_customer_ids(ref('int_identity_record_clusters')) }}",
    post_hook="{{ cdp.drop_work_table(cdp.identity_customer_ids_work_relation()) }}",
) }}

with

record_clusters as (
    select * from {{ ref('int_identity_record_clusters') }}
    {%- if is_incremental() %}
    where record_key in (
        select record_key from {{ previous_ids }}
        where is_dirty
    )
    {%- endif %}
),

previous_ids as (
    {% if previous_ids is not none -%}
    select
        record_key,
        customer_id,
        customer_id_minted_at,
        first_assigned_at,
        assigned_at
    from {{ previous_ids }}
    {%- if is_incremental() %}
    where is_dirty and customer_id is not null
    {%- endif %}
    {%- else -%}
    select
        cast(null as {{ dbt.type_string() }}) as record_key,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_timestamp() }}) as customer_id_minted_at,
        cast(null as {{ dbt.type_timestamp() }}) as first_assigned_at,
        cast(null as {{ dbt.type_timestamp() }}) as assigned_at
    where 1 = 0
    {%- endif %}
),

records as (
    select
        record_clusters.record_key,
        record_clusters.cluster_key,
        previous_ids.customer_id as previous_customer_id,
        previous_ids.customer_id_minted_at as previous_minted_at,
        previous_ids.first_assigned_at as previous_first_assigned_at,
        previous_ids.assigned_at as previous_assigned_at
    from record_clusters
    left join previous_ids
        on record_clusters.record_key = previous_ids.record_key
),

-- How many records of each previous id sit in each cluster now.
votes as (
    select
        previous_customer_id,
        cluster_key,
        min(previous_minted_at) as minted_at,
        count(*) as records
    from records
    where previous_customer_id is not null
    group by previous_customer_id, cluster_key
),

-- Each previous id goes to the cluster holding most of its records.
heirs as (
    select
        previous_customer_id,
        cluster_key,
        minted_at,
        row_number() over (
            partition by previous_customer_id
            order by records desc, cluster_key asc
        ) as heir_rank
    from votes
),

-- A cluster that inherits several ids keeps the oldest.
inherited as (
    select
        previous_customer_id,
        cluster_key,
        minted_at,
        row_number() over (
            partition by cluster_key
            order by minted_at asc, previous_customer_id asc
        ) as age_rank
    from heirs
    where heir_rank = 1
),

surviving_ids as (
    select
        cluster_key,
        previous_customer_id as customer_id,
        minted_at as customer_id_minted_at
    from inherited
    where age_rank = 1
),

merged_ids as (
    select
        previous_customer_id as merged_customer_id,
        cluster_key
    from inherited
    where age_rank > 1
),

-- Every id ever kept: the previous ids read, and on an incremental run the rows kept as they are.
known_ids as (
    select customer_id from previous_ids
    {%- if is_incremental() %}
    union all
    select customer_id from {{ previous_ids }}
    union all
    select customer_id from {{ this }}
    {%- endif %}
),

sequence_start as (
    select coalesce(max(cast(substr(customer_id, 5) as {{ dbt.type_bigint() }})), 0) as last_sequence
    from known_ids
),

orphan_clusters as (
    select distinct records.cluster_key
    from records
    left join surviving_ids
        on records.cluster_key = surviving_ids.cluster_key
    where surviving_ids.cluster_key is null
),

minted_ids as (
    select
        orphan_clusters.cluster_key,
        {{ dbt.concat([
            "'cus_'",
            "lpad(" ~ dbt.cast(
                "sequence_start.last_sequence + row_number() over (order by orphan_clusters.cluster_key)",
                dbt.type_string()) ~ ", 10, '0')",
        ]) }} as customer_id,
        {{ run_at }} as customer_id_minted_at
    from orphan_clusters
    cross join sequence_start
),

cluster_ids as (
    select * from surviving_ids
    union all
    select * from minted_ids
),

assigned as (
    select
        records.record_key,
        cluster_ids.customer_id,
        records.cluster_key,
        records.previous_customer_id,
        case
            when records.previous_customer_id is null then 'new_record'
            when records.previous_customer_id = cluster_ids.customer_id then 'kept'
            when merged_ids.merged_customer_id is not null then 'merged'
            else 'split'
        end as id_assignment,
        cluster_ids.customer_id_minted_at,
        coalesce(records.previous_first_assigned_at, {{ run_at }}) as first_assigned_at,
        case
            when records.previous_customer_id = cluster_ids.customer_id then records.previous_assigned_at
            else {{ run_at }}
        end as assigned_at,
        {{ run_at }} as resolved_at
    from records
    inner join cluster_ids
        on records.cluster_key = cluster_ids.cluster_key
    left join merged_ids
        on
            records.previous_customer_id = merged_ids.merged_customer_id
            and records.cluster_key = merged_ids.cluster_key
),

{%- if is_incremental() %}

-- Records of unchanged clusters that the previous run assigned keep their id: `kept` now.
relabelled as (
    select
        record_key,
        customer_id,
        cluster_key,
        customer_id as previous_customer_id,
        'kept' as id_assignment,
        customer_id_minted_at,
        first_assigned_at,
        assigned_at,
        {{ run_at }} as resolved_at
    from {{ previous_ids }}
    where not is_dirty
),
{%- endif %}

final as (
    select * from assigned
    {%- if is_incremental() %}
    union all
    select * from relabelled
    {%- endif %}
)

select * from final
