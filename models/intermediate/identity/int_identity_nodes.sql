-- One row per distinct linking identifier: the nodes of the identity graph (a shared family email split
-- by first name is one node per person, see int_identity_linking_identifiers). Decides which may link
-- records and why the others may not, first reason first:
--   blocklisted  the raw value (or a pattern it matches) is in the identity_blocklist seed;
--   over_shared  more records carry the raw value than identity_id_types.max_records_per_value allows,
--                or more than identity_max_people_per_identifier different people use it;
--   shared       different people use it and its type cannot be split by name (a household tablet, a
--                cookie on a shared computer: when_shared = quarantine);
--   conflicting  its records hold more values of a stronger identifier type than one customer may have
--                (max_per_customer), which no split by first name explained.
-- Incremental: a run classifies again only the raw values whose records changed (macros/identity/
-- touched_nodes.sql); node ids are derived from node keys, so every other node keeps its row and its id.
-- It finds them from the rows linked since and the log of removed rows (macros/identity/removals.sql),
-- whose entries its post-hook then deletes.
{%- set rules_version = cdp.identity_nodes_rules_version() if execute else '' %}
{%- set since = cdp.identity_nodes_since(rules_version) %}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_touched_nodes(ref('int_identity_linking_identifiers'), cdp.identity_nodes_rules_version()) }}",
    post_hook=[
        "{{ cdp.drop_work_table(cdp.identity_nodes_touched_relation()) }}",
        "{{ cdp.prune_removals(ref('int_identity_linking_identifiers')) }}",
    ],
) }}

with

-- Every identifier of the touched raw values (of all of them on a full build).
linking_identifiers as (
    select * from {{ ref('int_identity_linking_identifiers') }}
    {%- if since is not none %}
    where {{ dbt.concat(["id_type", "':'", "id_value"]) }} in (
        select raw_key from {{ cdp.identity_nodes_touched_relation() }}
    )
    {%- endif %}
),

-- Every identifier: the stronger values a touched value's records hold may be of any value.
all_linking_identifiers as (
    select * from {{ ref('int_identity_linking_identifiers') }}
),

id_types as (
    select * from {{ ref('int_identity_rules') }}
),

blocklist as (
    select * from {{ ref('identity_blocklist') }}
),

shared as (
    select * from {{ ref('int_identity_shared_identifiers') }}
),

identifier_names as (
    select * from {{ ref('int_identity_identifier_names') }}
),

-- Every link value once, with its records (a link value belongs to one raw value: id_value, or
-- id_value#name when split) and their fingerprint (an order-free hash of their keys).
link_values as (
    select
        id_type,
        link_value,
        min(id_value) as raw_value,
        cast(count(*) as {{ dbt.type_bigint() }}) as records,
        count(distinct source) as sources,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        {{ cdp.set_fingerprint(['record_key']) }} as records_fingerprint
    from linking_identifiers
    group by id_type, link_value
),

raw_values as (
    select
        id_type,
        raw_value as id_value,
        cast(sum(records) as {{ dbt.type_bigint() }}) as raw_records
    from link_values
    group by id_type, raw_value
),

-- Blocklisted values. Exact entries are hash joins; regular expressions are read from the seed when the
-- model runs and inlined as one constant pattern per identifier type (cdp.identity_blocklist_regex_match),
-- so each value is matched once (a pattern taken from a column would be compiled again for every value).
-- The entry that matched is then looked up for the few values that hit.
blocklisted_exact as (
    select
        raw_values.id_type,
        raw_values.id_value,
        {{ dbt.concat(["blocklist.reason", "' (exact '", "blocklist.pattern", "')'"]) }} as detail
    from raw_values
    inner join blocklist
        on
            lower(raw_values.id_value) = lower(blocklist.pattern)
            and (raw_values.id_type = blocklist.id_type or blocklist.id_type = '*')
    where blocklist.match_type = 'exact'
),

regex_hits as (
    select
        id_type,
        id_value
    from raw_values
    where {{ cdp.identity_blocklist_regex_match('id_type', 'id_value') }}
),

blocklisted_regex as (
    select
        regex_hits.id_type,
        regex_hits.id_value,
        {{ dbt.concat(["blocklist.reason", "' (regex '", "blocklist.pattern", "')'"]) }} as detail
    from regex_hits
    inner join blocklist
        on
            (regex_hits.id_type = blocklist.id_type or blocklist.id_type = '*')
            and blocklist.match_type = 'regex'
            and {{ cdp.regexp_contains('regex_hits.id_value', 'blocklist.pattern') }}
),

blocklisted_matches as (
    select * from blocklisted_exact
    union all
    select * from blocklisted_regex
),

blocklisted as (
    select
        id_type,
        id_value,
        min(detail) as detail
    from blocklisted_matches
    group by id_type, id_value
),

shared_people as (
    select
        shared.id_type,
        shared.id_value,
        shared.when_shared,
        shared.first_names,
        count(identifier_names.name_key) as people
    from shared
    left join identifier_names
        on
            shared.id_type = identifier_names.id_type
            and shared.id_value = identifier_names.id_value
    group by shared.id_type, shared.id_value, shared.when_shared, shared.first_names
),

-- Only an identifier carried by two or more records can join two values of another type.
shared_link_values as (
    select
        linking_identifiers.record_key,
        linking_identifiers.id_type,
        linking_identifiers.link_value
    from linking_identifiers
    inner join link_values
        on
            linking_identifiers.id_type = link_values.id_type
            and linking_identifiers.link_value = link_values.link_value
    where link_values.records > 1
),

-- For each such identifier, how many distinct values of each stronger, limited type its records carry.
stronger_values as (
    select
        carrier.id_type,
        carrier.link_value,
        stronger.id_type as stronger_id_type,
        count(distinct stronger.link_value) as stronger_values
    from shared_link_values as carrier
    inner join id_types as carrier_type
        on carrier.id_type = carrier_type.id_type
    inner join all_linking_identifiers as stronger
        on carrier.record_key = stronger.record_key
    inner join id_types as stronger_type
        on
            stronger.id_type = stronger_type.id_type
            and carrier_type.priority > stronger_type.priority
            and stronger_type.max_per_customer is not null
    group by carrier.id_type, carrier.link_value, stronger.id_type
),

conflicting as (
    select
        stronger_values.id_type,
        stronger_values.link_value,
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
    group by stronger_values.id_type, stronger_values.link_value
),

classified as (
    select
        link_values.id_type,
        link_values.link_value,
        link_values.raw_value,
        id_types.priority,
        link_values.records,
        link_values.sources,
        link_values.first_seen_at,
        link_values.last_seen_at,
        link_values.records_fingerprint,
        case
            when blocklisted.id_value is not null then 'blocklisted'
            when raw_values.raw_records > id_types.max_records_per_value then 'over_shared'
            when shared_people.people > {{ var('identity_max_people_per_identifier') }} then 'over_shared'
            when shared_people.when_shared = 'quarantine' then 'shared'
            when conflicting.link_value is not null then 'conflicting'
        end as quarantine_reason,
        case
            when blocklisted.id_value is not null then blocklisted.detail
            when raw_values.raw_records > id_types.max_records_per_value
                then {{ dbt.concat([
                    "'carried by '",
                    dbt.cast("raw_values.raw_records", dbt.type_string()),
                    "' records (max '",
                    dbt.cast("id_types.max_records_per_value", dbt.type_string()),
                    "')'",
                ]) }}
            when shared_people.people > {{ var('identity_max_people_per_identifier') }}
                then {{ dbt.concat([
                    "'used by '",
                    dbt.cast("shared_people.people", dbt.type_string()),
                    "' different first names (max ", var('identity_max_people_per_identifier'), ")'",
                ]) }}
            when shared_people.when_shared = 'quarantine'
                then {{ dbt.concat(["'used by different people: '", "shared_people.first_names"]) }}
            when conflicting.link_value is not null then conflicting.detail
        end as quarantine_detail
    from link_values
    inner join id_types
        on link_values.id_type = id_types.id_type
    inner join raw_values
        on
            link_values.id_type = raw_values.id_type
            and link_values.raw_value = raw_values.id_value
    left join blocklisted
        on
            link_values.id_type = blocklisted.id_type
            and link_values.raw_value = blocklisted.id_value
    left join shared_people
        on
            link_values.id_type = shared_people.id_type
            and link_values.raw_value = shared_people.id_value
    left join conflicting
        on
            link_values.id_type = conflicting.id_type
            and link_values.link_value = conflicting.link_value
),

keyed as (
    select
        {{ dbt.concat(["id_type", "':'", "link_value"]) }} as node_key,
        *
    from classified
),

-- node_id is derived from node_key (cdp.stable_id), so a node keeps its id from run to run.
final as (
    select
        {{ cdp.stable_id('node_key') }} as node_id,
        node_key,
        id_type,
        link_value as id_value,
        raw_value,
        priority,
        records,
        sources,
        quarantine_reason,
        quarantine_detail,
        quarantine_reason is null as is_linkable,
        first_seen_at,
        last_seen_at,
        records_fingerprint,
        '{{ rules_version }}' as rules_version,
        {{ cdp.run_timestamp() }} as classified_at
    from keyed
)

select * from final
