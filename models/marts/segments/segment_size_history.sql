-- Segment sizes at every build, appended run after run (never rebuilt, so --full-refresh keeps history):
-- what the segments dashboard and `make report` chart over time.
{%- set run_at = cdp.run_timestamp() %}
{{ config(
    materialized='incremental',
    unique_key='segment_size_id',
    incremental_strategy=cdp.incremental_strategy(),
    full_refresh=false,
    on_schema_change='append_new_columns',
) }}

with

memberships as (
    select * from {{ ref('segment_memberships') }}
),

segments as (
    {%- for segment in var('segments') %}
    select '{{ segment }}' as segment
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

sizes as (
    select
        segments.segment,
        count(memberships.customer_id) as customers
    from segments
    left join memberships
        on segments.segment = memberships.segment
    group by segments.segment
),

final as (
    select
        {{ dbt.concat(["segment", "'@'", dbt.cast(run_at, dbt.type_string())]) }} as segment_size_id,
        segment,
        customers,
        {{ run_at }} as measured_at
    from sizes
)

select * from final
