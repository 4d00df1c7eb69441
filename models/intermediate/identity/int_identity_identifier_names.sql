-- The first names behind each identifier: the names on the records carrying it, and the names of the
-- stronger account identifiers those records also carry (a tablet's shop accounts, a family email's
-- loyalty cards; identity_id_types.is_account). Weighted by
-- how many records give each name.
with

identifiers as (
    select * from {{ ref('int_identity_identifiers') }}
),

id_types as (
    select * from {{ ref('int_identity_rules') }}
),

direct_names as (
    select
        id_type,
        id_value,
        first_name_key as name_key,
        count(*) as name_records
    from identifiers
    where first_name_key is not null
    group by id_type, id_value, first_name_key
),

anchor_names as (
    select
        carrier.id_type,
        carrier.id_value,
        direct_names.name_key,
        sum(direct_names.name_records) as name_records
    from identifiers as carrier
    inner join id_types as carrier_type
        on carrier.id_type = carrier_type.id_type
    inner join identifiers as stronger
        on carrier.record_key = stronger.record_key
    inner join id_types as stronger_type
        on
            stronger.id_type = stronger_type.id_type
            and carrier_type.priority > stronger_type.priority
            and stronger_type.is_account
    inner join direct_names
        on
            stronger.id_type = direct_names.id_type
            and stronger.id_value = direct_names.id_value
    group by carrier.id_type, carrier.id_value, direct_names.name_key
),

all_names as (
    select * from direct_names
    union all
    select * from anchor_names
),

final as (
    select
        id_type,
        id_value,
        name_key,
        sum(name_records) as name_records
    from all_names
    group by id_type, id_value, name_key
)

select * from final
