-- Every resolved identity record with its customer and a fingerprint of what the customer-level models read
-- from it: when its newest source row landed (any change to the record's rows lands again) and its
-- identifiers as the identity step left them (the value each links by, why it may not link). Two runs give
-- a record the same fingerprint exactly when none of that changed. An identifier that links by its own value
-- and is not quarantined changes only when the record's rows land again, which loaded_at already tells: only
-- the others (split by first name, quarantined) enter the hash, a small share of all identifiers.
{{ config(materialized='ephemeral') }}

with

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
),

records as (
    select * from {{ ref('int_identity_records') }}
),

identifiers as (
    select * from {{ ref('int_identity_linking_identifiers') }}
),

quarantined as (
    select
        id_type,
        id_value,
        quarantine_reason
    from {{ ref('int_identity_nodes') }}
    where quarantine_reason is not null
),

record_identifiers as (
    select
        identifiers.record_key,
        {{ cdp.set_fingerprint([
            'identifiers.id_type', 'identifiers.source_value', 'identifiers.link_value',
            'quarantined.quarantine_reason',
        ]) }} as identifiers_fingerprint
    from identifiers
    left join quarantined
        on
            identifiers.id_type = quarantined.id_type
            and identifiers.link_value = quarantined.id_value
    where
        identifiers.link_value != identifiers.id_value
        or quarantined.quarantine_reason is not null
    group by identifiers.record_key
),

final as (
    select
        customer_ids.record_key,
        customer_ids.customer_id,
        {{ dbt.concat([
            dbt.cast('records.loaded_at', dbt.type_string()), "'|'",
            "coalesce(record_identifiers.identifiers_fingerprint, '')",
        ]) }} as fingerprint
    from customer_ids
    inner join records
        on customer_ids.record_key = records.record_key
    left join record_identifiers
        on customer_ids.record_key = record_identifiers.record_key
)

select * from final
