-- Every identifier of every record with the value it links by (link_value). An email or phone shared by
-- different people (int_identity_shared_identifiers, when_shared = split_by_first_name) links only the
-- records of one person: its value is qualified by the first name behind the record, "x@y.com#karen".
-- That name is the record's own; else the name its unshared identifiers carry most; else the identifier's
-- owner: for an email, the name written in its local part (hannahh627@...), else the name most records
-- carrying the identifier give. Names are weighed together with their compatible
-- spellings (Bill and William are one person), and a record's name joins the heaviest compatible name, so
-- a nickname or a typo stays with its person.
-- Incremental: a link value differs from the identifier's own value only on records carrying a split
-- identifier, so a run rebuilds the records that landed since the last one (loaded_at), those carrying a
-- split identifier now, and those that did before (link_value != id_value); its pre-hook deletes their rows
-- and those of records that are gone, logging every row it deletes for int_identity_nodes
-- (macros/identity/removals.sql), and the run recomputes those records. A rebuilt record whose rows
-- came out as they were keeps its linked_at (macros/identity/relinked_records.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_relinked_records(
        ref('int_identity_records'),
        also='select record_key from ' ~ this ~ ' where link_value != id_value union all '
            ~ cdp.split_identifier_records(ref('int_identity_identifiers'), ref('int_identity_shared_identifiers')),
    ) }}",
    post_hook=[
        "{{ cdp.drop_work_table(cdp.relinked_work_relation()) }}",
        "{{ cdp.drop_work_table(cdp.relinked_rows_relation()) }}",
        "{{ cdp.start_removals_on_full_build(cdp.linking_removal_columns()) }}",
    ],
) }}
{%- set relinked = cdp.relinked_records_relation() %}

with

-- The identifiers of the records the pre-hook deleted: those that landed since and those whose stored rows
-- it copied to its work table (rebuilt or gone); of every record when it rebuilds them all.
identifiers as (
    select * from {{ ref('int_identity_identifiers') }}
    {%- if relinked is not none %}
    where
        loaded_at > {{ cdp.landed_records_since() }}
        or record_key in (select record_key from {{ cdp.relinked_rows_relation() }})
    {%- elif is_incremental() %}
    where record_key not in (select record_key from {{ this }})
    {%- endif %}
),

shared as (
    select * from {{ ref('int_identity_shared_identifiers') }}
),

identifier_names as (
    select * from {{ ref('int_identity_identifier_names') }}
),

equivalences as (
    select * from {{ ref('int_first_name_equivalences') }}
),

split_identifiers as (
    select * from shared
    where when_shared = 'split_by_first_name'
),

split_names as (
    select identifier_names.*
    from identifier_names
    inner join split_identifiers
        on
            identifier_names.id_type = split_identifiers.id_type
            and identifier_names.id_value = split_identifiers.id_value
),

-- Each name behind a split identifier, weighed with every compatible name (nicknames, typos).
split_name_weights as (
    select
        split_names.id_type,
        split_names.id_value,
        split_names.name_key,
        sum(compatible_names.name_records) as name_weight
    from split_names
    inner join split_names as compatible_names
        on
            split_names.id_type = compatible_names.id_type
            and split_names.id_value = compatible_names.id_value
    left join equivalences
        on
            split_names.name_key = equivalences.name_key_a
            and compatible_names.name_key = equivalences.name_key_b
    where {{ cdp.first_names_compatible(
        'split_names.name_key', 'compatible_names.name_key', 'equivalences.name_key_a is not null'
    ) }}
    group by split_names.id_type, split_names.id_value, split_names.name_key
),

-- The records carrying a split identifier: the only ones whose names are looked at below.
split_records as (
    {{ cdp.split_identifier_records('identifiers', 'shared') }}
),

-- The name a nameless record speaks for: the one its unshared identifiers carry most.
inferred_names as (
    select
        identifiers.record_key,
        identifier_names.name_key,
        row_number() over (
            partition by identifiers.record_key
            order by sum(identifier_names.name_records) desc, identifier_names.name_key asc
        ) as name_rank
    from identifiers
    inner join split_records
        on identifiers.record_key = split_records.record_key
    inner join identifier_names
        on
            identifiers.id_type = identifier_names.id_type
            and identifiers.id_value = identifier_names.id_value
    left join shared
        on
            identifiers.id_type = shared.id_type
            and identifiers.id_value = shared.id_value
    where shared.id_value is null
    group by identifiers.record_key, identifier_names.name_key
),

split_occurrences as (
    select
        identifiers.record_key,
        identifiers.id_type,
        identifiers.id_value,
        coalesce(identifiers.first_name_key, inferred_names.name_key) as name_key
    from identifiers
    inner join split_identifiers
        on
            identifiers.id_type = split_identifiers.id_type
            and identifiers.id_value = split_identifiers.id_value
    left join inferred_names
        on
            identifiers.record_key = inferred_names.record_key
            and inferred_names.name_rank = 1
),

name_matches as (
    select
        split_occurrences.record_key,
        split_occurrences.id_type,
        split_name_weights.name_key as group_key,
        row_number() over (
            partition by split_occurrences.record_key, split_occurrences.id_type
            order by split_name_weights.name_weight desc, split_name_weights.name_key asc
        ) as match_rank
    from split_occurrences
    inner join split_name_weights
        on
            split_occurrences.id_type = split_name_weights.id_type
            and split_occurrences.id_value = split_name_weights.id_value
    left join equivalences
        on
            split_occurrences.name_key = equivalences.name_key_a
            and split_name_weights.name_key = equivalences.name_key_b
    where {{ cdp.first_names_compatible(
        'split_occurrences.name_key', 'split_name_weights.name_key', 'equivalences.name_key_a is not null'
    ) }}
),

owners as (
    select
        id_type,
        id_value,
        name_key as owner_key,
        row_number() over (
            partition by id_type, id_value
            order by
                -- An email's owner usually wrote their own name into it: hannahh627@..., nancy.miller@...
                case
                    when
                        id_type = 'email'
                        and length(name_key) >= 3
                        and {{ dbt.position('name_key', dbt.split_part('id_value', "'@'", 1)) }} > 0
                        then 0
                    else 1
                end asc,
                name_weight desc,
                name_key asc
        ) as owner_rank
    from split_name_weights
),

name_groups as (
    select
        split_occurrences.record_key,
        split_occurrences.id_type,
        coalesce(name_matches.group_key, split_occurrences.name_key, owners.owner_key) as group_key
    from split_occurrences
    left join name_matches
        on
            split_occurrences.record_key = name_matches.record_key
            and split_occurrences.id_type = name_matches.id_type
            and name_matches.match_rank = 1
    left join owners
        on
            split_occurrences.id_type = owners.id_type
            and split_occurrences.id_value = owners.id_value
            and owners.owner_rank = 1
),

linked as (
    select
        identifiers.record_key,
        identifiers.source,
        identifiers.entity,
        identifiers.id_type,
        identifiers.id_value,
        case
            when name_groups.group_key is not null
                then {{ dbt.concat(["identifiers.id_value", "'#'", "name_groups.group_key"]) }}
            else identifiers.id_value
        end as link_value,
        identifiers.source_value,
        identifiers.first_name_key,
        identifiers.first_seen_at,
        identifiers.last_seen_at,
        identifiers.loaded_at
    from identifiers
    left join name_groups
        on
            identifiers.record_key = name_groups.record_key
            and identifiers.id_type = name_groups.id_type
),
{%- if relinked is not none %}

-- A rebuilt record whose rows are what they were keeps the linked_at it had.
relinked_records as (
    select
        record_key,
        {{ cdp.linking_rows_fingerprint() }} as rows_fingerprint
    from linked
    group by record_key
),

kept_stamps as (
    select
        relinked_records.record_key,
        stored.linked_at
    from relinked_records
    inner join {{ relinked }} as stored
        on
            relinked_records.record_key = stored.record_key
            and relinked_records.rows_fingerprint = stored.rows_fingerprint
),

final as (
    select
        linked.*,
        coalesce(kept_stamps.linked_at, {{ cdp.run_timestamp() }}) as linked_at
    from linked
    left join kept_stamps
        on linked.record_key = kept_stamps.record_key
)
{%- else %}

final as (
    select
        linked.*,
        {{ cdp.run_timestamp() }} as linked_at
    from linked
)
{%- endif %}

select * from final
