-- The records probabilistic matching compares (int_matching_record_attributes: person attributes reduced
-- for comparison and the blocking keys), each with its anchor node (a probabilistic link joins two
-- anchors) and the component the identity rules already put it in. Records without a linkable identifier
-- are left out: there is nothing in the identity graph to attach them to.
with

attributes as (
    select * from {{ ref('int_matching_record_attributes') }}
),

records as (
    select * from {{ ref('int_identity_records') }}
),

anchors as (
    select * from {{ ref('int_identity_record_anchors') }}
),

rule_components as (
    select * from {{ ref('int_matching_rule_components') }}
),

final as (
    select
        attributes.record_key,
        records.source,
        records.entity,
        anchors.anchor_node_id,
        coalesce(rule_components.component_id, anchors.anchor_node_id) as rule_component_id,
        attributes.first_name,
        attributes.last_name,
        attributes.postal_code,
        attributes.country_code,
        attributes.email,
        attributes.phone_e164,
        attributes.first_name_key,
        attributes.last_name_key,
        attributes.postal_code_key,
        attributes.phone_last_digits,
        attributes.first_initial,
        attributes.last_name_soundex,
        attributes.birth_date,
        records.first_seen_at
    from attributes
    inner join records
        on attributes.record_key = records.record_key
    inner join anchors
        on attributes.record_key = anchors.record_key
    left join rule_components
        on anchors.anchor_node_id = rule_components.node_id
)

select * from final
