-- The cluster of every identity record: the cluster of its anchor. Records without any linkable
-- identifier (only junk, blocklisted or over-shared values) are not resolved to anyone.
with

records as (
    select * from {{ ref('int_identity_records') }}
),

anchors as (
    select * from {{ ref('int_identity_record_anchors') }}
),

clusters as (
    select * from {{ ref('int_identity_clusters') }}
),

final as (
    select
        records.record_key,
        records.source,
        records.entity,
        records.source_record_id,
        clusters.cluster_key,
        anchors.anchor_node_id,
        clusters.node_key as anchor_node_key,
        records.first_seen_at,
        records.last_seen_at,
        records.source_rows
    from records
    inner join anchors
        on records.record_key = anchors.record_key
    inner join clusters
        on anchors.anchor_node_id = clusters.node_id
)

select * from final
