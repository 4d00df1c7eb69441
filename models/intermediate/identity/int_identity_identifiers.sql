-- Every identifier of every identity record, in long form: (record, id_type, id_value). Emails are keyed
-- by their match key (lower case, +tags dropped, gmail dots removed) so spelling variants link;
-- source_value keeps the value as staged (the deliverable address). Incremental: a run unpivots only the
-- records that landed since the last one (cdp.landed_records_since). Every row a run deletes is logged in
-- int_identity_identifiers__removals for int_identity_identifier_names (macros/identity/removals.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_logged_records(ref('int_identity_records'), cdp.identifier_removal_columns()) }}",
    post_hook=[
        "{{ cdp.drop_work_table(cdp.forgotten_rows_relation()) }}",
        "{{ cdp.start_removals_on_full_build(cdp.identifier_removal_columns()) }}",
    ],
) }}
{%- set landed_since = cdp.landed_records_since() %}

with

records as (
    select * from {{ ref('int_identity_records') }}
    {{ cdp.landed_records_filter(landed_since) }}
),

unpivoted as (
    {%- for id_type in cdp.identity_record_id_types() %}
    select
        record_key,
        source,
        entity,
        '{{ id_type }}' as id_type,
        {% if id_type == 'email' -%}
        {{ cdp.email_match_key('email') }}
        {%- else -%}
        {{ id_type }}
        {%- endif %} as id_value,
        {{ id_type }} as source_value,
        first_name_key,
        first_seen_at,
        last_seen_at,
        source_rows,
        loaded_at
    from records
    where {{ id_type }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        *,
        {{ cdp.run_timestamp() }} as built_at
    from unpivoted
    where id_value is not null
)

select * from final
