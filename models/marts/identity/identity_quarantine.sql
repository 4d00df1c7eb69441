-- Identifiers that may not link records, with the reason: blocklisted, over-shared (carried by more
-- records than allowed) or conflicting (would join more values of a stronger identifier than one customer
-- may hold). Nothing is dropped silently: every identifier kept out of the graph is here.
with

nodes as (
    select * from {{ ref('int_identity_nodes') }}
    where quarantine_reason is not null
),

deleted_identifiers as (
    select * from {{ ref('int_privacy_deleted_identifiers') }}
),

final as (
    select
        nodes.node_key as identifier_key,
        nodes.id_type,
        nodes.id_value,
        nodes.quarantine_reason,
        nodes.quarantine_detail,
        nodes.records,
        nodes.sources,
        nodes.first_seen_at,
        nodes.last_seen_at
    from nodes
    left join deleted_identifiers
        on
            nodes.id_type = deleted_identifiers.id_type
            and nodes.raw_value = deleted_identifiers.id_value
    where deleted_identifiers.id_type is null
)

select * from final
