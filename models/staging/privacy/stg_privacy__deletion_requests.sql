-- One row per right-to-be-forgotten request, its identifier normalised the way identity links it.
{{
    config(
        materialized='incremental',
        unique_key='deletion_request_id',
        incremental_strategy=cdp.incremental_strategy(),
        on_schema_change='append_new_columns',
    )
}}
with

source as (
    select * from {{ source('privacy', 'deletion_requests') }}
    {{ cdp.only_new_loads() }}
),

deliveries as (
    select
        *,
        row_number() over (partition by id order by _loaded_at asc) as delivery_rank
    from source
),

first_delivery as (
    select * from deliveries
    where delivery_rank = 1
),

normalized as (
    select
        id as deletion_request_id,
        'privacy' as source,
        lower(trim(identifier_type)) as identifier_type,
        identifier_value as identifier_value_raw,
        case lower(trim(identifier_type))
            when 'email' then {{ cdp.normalize_email('identifier_value') }}
            when 'phone' then {{ cdp.normalize_phone('identifier_value', "'" ~ var('default_phone_country') ~ "'") }}
            when 'loyalty_card_id' then {{ cdp.normalize_card_number('identifier_value') }}
            else nullif(trim(identifier_value), '')
        end as identifier_value,
        requested_at,
        _loaded_at
    from first_delivery
)

select * from normalized
where {{ cdp.not_yet_loaded('normalized', 'deletion_request_id') }}
