-- Every customer in every segment: the union of the seg_ models listed in vars.segments (dbt_project.yml).
with

{% for segment in var('segments') %}
seg_{{ segment }} as (
    select * from {{ ref('seg_' ~ segment) }}
),

{% endfor -%}
memberships as (
    {%- for segment in var('segments') %}
    select
        customer_id,
        segment,
        entered_at,
        reason,
        reason_metric
    from seg_{{ segment }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ dbt.concat(["customer_id", "':'", "segment"]) }} as segment_membership_id,
        customer_id,
        segment,
        entered_at,
        reason,
        reason_metric
    from memberships
)

select * from final
