-- Identifiers used by different people: the first names behind them include two that cannot name one
-- person (not equal, not a nickname of each other, not an initial or a typo; see first_names_compatible),
-- or, for the weak types that cannot be split by name (devices, cookies), they were used with two
-- accounts of one kind (a household tablet logged into two shop accounts).
-- What happens to them depends on identity_id_types.when_shared: emails and phones are split by first
-- name (int_identity_linking_identifiers), devices and cookies are quarantined (int_identity_nodes),
-- account ids are trusted.
with

identifiers as (
    select * from {{ ref('int_identity_identifiers') }}
),

identifier_names as (
    select * from {{ ref('int_identity_identifier_names') }}
),

id_types as (
    select * from {{ ref('int_identity_rules') }}
),

equivalences as (
    select * from {{ ref('int_first_name_equivalences') }}
),

name_pairs as (
    select
        name_a.id_type,
        name_a.id_value,
        name_a.name_key as name_key_a,
        name_b.name_key as name_key_b
    from identifier_names as name_a
    inner join identifier_names as name_b
        on
            name_a.id_type = name_b.id_type
            and name_a.id_value = name_b.id_value
            and name_a.name_key < name_b.name_key
    inner join id_types
        on name_a.id_type = id_types.id_type
    where id_types.when_shared != 'ignore'
),

incompatible_pairs as (
    select name_pairs.*
    from name_pairs
    left join equivalences
        on
            name_pairs.name_key_a = equivalences.name_key_a
            and name_pairs.name_key_b = equivalences.name_key_b
    where not {{ cdp.first_names_compatible(
        'name_pairs.name_key_a', 'name_pairs.name_key_b', 'equivalences.name_key_a is not null'
    ) }}
),

-- Weak identifiers used with two accounts of one kind.
multi_account as (
    select
        carrier.id_type,
        carrier.id_value
    from identifiers as carrier
    inner join id_types as carrier_type
        on carrier.id_type = carrier_type.id_type
    inner join identifiers as account_identifier
        on carrier.record_key = account_identifier.record_key
    inner join id_types as account_type
        on account_identifier.id_type = account_type.id_type
    where
        carrier_type.when_shared = 'quarantine'
        and account_type.is_account
    group by carrier.id_type, carrier.id_value, account_identifier.id_type
    having count(distinct account_identifier.id_value) > 1
),

shared as (
    select
        id_type,
        id_value
    from incompatible_pairs
    union
    select
        id_type,
        id_value
    from multi_account
),

final as (
    select
        shared.id_type,
        shared.id_value,
        id_types.when_shared,
        coalesce(
            {{ dbt.listagg("identifier_names.name_key", "', '", "order by identifier_names.name_key") }},
            'unnamed accounts'
        ) as first_names
    from shared
    inner join id_types
        on shared.id_type = id_types.id_type
    left join identifier_names
        on
            shared.id_type = identifier_names.id_type
            and shared.id_value = identifier_names.id_value
    group by shared.id_type, shared.id_value, id_types.when_shared
)

select * from final
