-- The first names behind each identifier: the names on the records carrying it, and the names of the
-- stronger account identifiers those records also carry (a tablet's shop accounts, a family email's
-- loyalty cards; identity_id_types.is_account). Weighted by
-- how many records give each name.
-- Incremental: a run computes again the identifiers whose names may have changed
-- (macros/identity/touched_identifier_names.sql): the values of the rows int_identity_identifiers wrote or
-- deleted since the last run, and every value of a record carrying such a value when it is an account.
{%- set rules_version = cdp.identifier_names_rules_version() if execute else '' %}
{%- set since = cdp.identifier_names_since(rules_version) %}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_touched_identifier_names(ref('int_identity_identifiers'), ref('int_identity_rules'), cdp.identifier_names_rules_version()) }}",
    post_hook=[
        "{{ cdp.drop_work_table(cdp.identifier_names_touched_relation()) }}",
        "{{ cdp.prune_removals(ref('int_identity_identifiers')) }}",
    ],
) }}

with

identifiers as (
    select * from {{ ref('int_identity_identifiers') }}
),

id_types as (
    select * from {{ ref('int_identity_rules') }}
),

-- The rows of the identifiers this run names (every identifier on a full build).
carriers as (
    {%- if since is not none %}
    select identifiers.*
    from identifiers
    inner join {{ cdp.identifier_names_touched_relation() }} as touched
        on
            identifiers.id_type = touched.id_type
            and identifiers.id_value = touched.id_value
    {%- else %}
    select * from identifiers
    {%- endif %}
),

direct_names as (
    select
        id_type,
        id_value,
        first_name_key as name_key,
        count(*) as name_records
    from carriers
    where first_name_key is not null
    group by id_type, id_value, first_name_key
),

-- The stronger account identifiers on the carriers' records, and the names behind each of them.
stronger as (
    select
        carrier.id_type,
        carrier.id_value,
        stronger.id_type as stronger_id_type,
        stronger.id_value as stronger_id_value
    from carriers as carrier
    inner join id_types as carrier_type
        on carrier.id_type = carrier_type.id_type
    inner join identifiers as stronger
        on carrier.record_key = stronger.record_key
    inner join id_types as stronger_type
        on
            stronger.id_type = stronger_type.id_type
            and carrier_type.priority > stronger_type.priority
            and stronger_type.is_account
),

stronger_names as (
    {%- if since is not none %}
    select
        identifiers.id_type,
        identifiers.id_value,
        identifiers.first_name_key as name_key,
        count(*) as name_records
    from identifiers
    inner join (select distinct stronger_id_type, stronger_id_value from stronger) as accounts
        on
            identifiers.id_type = accounts.stronger_id_type
            and identifiers.id_value = accounts.stronger_id_value
    where identifiers.first_name_key is not null
    group by identifiers.id_type, identifiers.id_value, identifiers.first_name_key
    {%- else %}
    select * from direct_names
    {%- endif %}
),

anchor_names as (
    select
        stronger.id_type,
        stronger.id_value,
        stronger_names.name_key,
        sum(stronger_names.name_records) as name_records
    from stronger
    inner join stronger_names
        on
            stronger.stronger_id_type = stronger_names.id_type
            and stronger.stronger_id_value = stronger_names.id_value
    group by stronger.id_type, stronger.id_value, stronger_names.name_key
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
        sum(name_records) as name_records,
        '{{ rules_version }}' as rules_version,
        {{ cdp.run_timestamp() }} as named_at
    from all_names
    group by id_type, id_value, name_key
)

select * from final
