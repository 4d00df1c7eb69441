-- Every source record that can identify a person, with its identifiers under one spelling each.
-- A profile row (shop account, CRM contact, loyalty member, ESP profile) or transaction row (order,
-- checkout, till transaction, ticket, consent change) is one record; an event stream contributes one record
-- per distinct combination of identifiers seen together (a cookie with the user id it logged in as).
-- The sources and the identifiers each carries are listed in cdp.identity_record_sources: add a source there.
-- Incremental on loaded_at: a run rebuilds the records with a staging row that landed since the model's
-- newest (its pre-hook deletes them first; for an event stream, every event of the combination is read again).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_landed_identity_records() }}",
) }}
{%- set landed_since = cdp.landed_records_since() %}
{%- set record_sources = cdp.identity_record_sources() %}

with
{% for record_source in record_sources %}
{{ record_source.source }}_{{ record_source.entity }}_records as (
    {{ cdp.identity_record_select(record_source, landed_since) }}
),
{% endfor %}
unioned as (
    {%- for record_source in record_sources %}
    select * from {{ record_source.source }}_{{ record_source.entity }}_records
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- Each distinct first name reduced to its key once (a name repeated on every order of a customer, once).
first_name_keys as (
    select
        first_name,
        {{ cdp.first_name_key('first_name') }} as first_name_key
    from (
        select distinct first_name from unioned
        where first_name is not null
    ) as distinct_first_names
),

final as (
    select
        unioned.record_key,
        unioned.source,
        unioned.entity,
        unioned.source_record_id,
        {%- for id_type in cdp.identity_record_id_types() %}
        unioned.{{ id_type }},
        {%- endfor %}
        first_name_keys.first_name_key,
        unioned.first_seen_at,
        unioned.last_seen_at,
        unioned.source_rows,
        unioned.loaded_at,
        {{ cdp.run_timestamp() }} as built_at
    from unioned
    left join first_name_keys
        on unioned.first_name = first_name_keys.first_name
)

select * from final
