-- One row per distinct identifier: the nodes of the identity graph. Decides which identifiers may link
-- records, and why the others may not:
--   blocklisted  the value (or a pattern it matches) is in the identity_blocklist seed;
--   over_shared  more source records carry it than identity_id_types.max_records_per_value allows;
--   conflicting  the records carrying it hold more distinct values of a stronger identifier type than
--                one customer may have (a family email on two loyalty cards, a tablet logged into by two
--                shop accounts, a store's own phone typed for many card holders).
with

identifiers as (
    select * from {{ ref('int_identity_identifiers') }}
),

id_types as (
    select * from {{ ref('identity_id_types') }}
),

blocklist as (
    select * from {{ ref('identity_blocklist') }}
),

identifier_values as (
    select
        id_type,
        id_value,
        count(*) as records,
        count(distinct source) as sources,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from identifiers
    group by id_type, id_value
),

blocklisted as (
    select
        identifier_values.id_type,
        identifier_values.id_value,
        min(
            {{ dbt.concat(["blocklist.reason", "' ('", "blocklist.match_type", "' '", "blocklist.pattern", "')'"]) }}
        ) as detail
    from identifier_values
    inner join blocklist
        on
            (blocklist.id_type = identifier_values.id_type or blocklist.id_type = '*')
            and (
                (blocklist.match_type = 'exact' and lower(identifier_values.id_value) = lower(blocklist.pattern))
                or (
                    blocklist.match_type = 'regex'
                    and {{ cdp.regexp_contains('identifier_values.id_value', 'blocklist.pattern') }}
                )
            )
    group by identifier_values.id_type, identifier_values.id_value
),

-- For each identifier, how many distinct values of each stronger, limited type its records carry.
stronger_values as (
    select
        carrier.id_type,
        carrier.id_value,
        stronger.id_type as stronger_id_type,
        count(distinct stronger.id_value) as stronger_values
    from identifiers as carrier
    inner join id_types as carrier_type
        on carrier.id_type = carrier_type.id_type
    inner join identifiers as stronger
        on carrier.record_key = stronger.record_key
    inner join id_types as stronger_type
        on
            stronger.id_type = stronger_type.id_type
            and stronger_type.priority < carrier_type.priority
            and stronger_type.max_per_customer is not null
    group by carrier.id_type, carrier.id_value, stronger.id_type
),

conflicting as (
    select
        stronger_values.id_type,
        stronger_values.id_value,
        min(
            {{ dbt.concat([
                "'links '",
                dbt.cast("stronger_values.stronger_values", dbt.type_string()),
                "' '",
                "stronger_values.stronger_id_type",
                "' values (max '",
                dbt.cast("id_types.max_per_customer", dbt.type_string()),
                "' per customer)'",
            ]) }}
        ) as detail
    from stronger_values
    inner join id_types
        on stronger_values.stronger_id_type = id_types.id_type
    where stronger_values.stronger_values > id_types.max_per_customer
    group by stronger_values.id_type, stronger_values.id_value
),

classified as (
    select
        identifier_values.id_type,
        identifier_values.id_value,
        id_types.priority,
        identifier_values.records,
        identifier_values.sources,
        identifier_values.first_seen_at,
        identifier_values.last_seen_at,
        case
            when blocklisted.id_value is not null then 'blocklisted'
            when identifier_values.records > id_types.max_records_per_value then 'over_shared'
            when conflicting.id_value is not null then 'conflicting'
        end as quarantine_reason,
        case
            when blocklisted.id_value is not null then blocklisted.detail
            when identifier_values.records > id_types.max_records_per_value
                then {{ dbt.concat([
                    "'carried by '",
                    dbt.cast("identifier_values.records", dbt.type_string()),
                    "' records (max '",
                    dbt.cast("id_types.max_records_per_value", dbt.type_string()),
                    "')'",
                ]) }}
            when conflicting.id_value is not null then conflicting.detail
        end as quarantine_detail
    from identifier_values
    inner join id_types
        on identifier_values.id_type = id_types.id_type
    left join blocklisted
        on
            identifier_values.id_type = blocklisted.id_type
            and identifier_values.id_value = blocklisted.id_value
    left join conflicting
        on
            identifier_values.id_type = conflicting.id_type
            and identifier_values.id_value = conflicting.id_value
),

final as (
    select
        row_number() over (order by id_type, id_value) as node_id,
        {{ dbt.concat(["id_type", "':'", "id_value"]) }} as node_key,
        id_type,
        id_value,
        priority,
        records,
        sources,
        quarantine_reason,
        quarantine_detail,
        quarantine_reason is null as is_linkable,
        first_seen_at,
        last_seen_at
    from classified
)

select * from final
