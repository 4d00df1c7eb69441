-- The person attributes probabilistic matching compares, one row per profile-like identity record (shop
-- accounts, orders' billing names, CRM contacts, loyalty members, support tickets, ESP profiles), reduced
-- for comparison: names to letters only (accents folded), postal codes to upper-case letters and digits,
-- phones to their last digits; plus the blocking keys of vars.matching_blocking_rules (first initial,
-- surname Soundex). A function of the record alone, so incremental on the record's loaded_at
-- (cdp.landed_records_since): a run reduces only the records that landed since the last one, and drops
-- the rows of records that are gone. int_matching_records adds where the identity rules put each record.
-- Adding a source with names: add its CTE below with the attributes it carries (NULL where it has none).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_landed_records(ref('int_identity_records')) }}",
) }}
{%- set landed_since = cdp.landed_records_since() %}

with

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
),

shop_orders as (
    select * from {{ ref('stg_shop__orders') }}
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

loyalty_members as (
    select * from {{ ref('stg_loyalty__members') }}
),

support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

esp_profiles as (
    select * from {{ ref('stg_esp__profiles') }}
),

landed_records as (
    select
        record_key,
        loaded_at
    from {{ ref('int_identity_records') }}
    {{ cdp.landed_records_filter(landed_since) }}
),

shop_customer_attributes as (
    select
        {{ cdp.identity_record_key('shop', 'customers', 'shop_customer_id') }} as record_key,
        first_name,
        last_name,
        postal_code,
        country_code,
        cast(null as date) as birth_date,
        email,
        phone_e164
    from shop_customers
),

shop_order_attributes as (
    select
        {{ cdp.identity_record_key('shop', 'orders', 'order_id') }} as record_key,
        billing_first_name as first_name,
        billing_last_name as last_name,
        billing_postal_code as postal_code,
        billing_country_code as country_code,
        cast(null as date) as birth_date,
        email,
        phone_e164
    from shop_orders
),

crm_contact_attributes as (
    select
        {{ cdp.identity_record_key('crm', 'contacts', 'crm_contact_id') }} as record_key,
        first_name,
        last_name,
        postal_code,
        country_code,
        cast(null as date) as birth_date,
        email,
        phone_e164
    from crm_contacts
),

loyalty_member_attributes as (
    select
        {{ cdp.identity_record_key('loyalty', 'members', 'loyalty_member_id') }} as record_key,
        first_name,
        last_name,
        postal_code,
        country_code,
        birth_date,
        email,
        phone_e164
    from loyalty_members
),

support_ticket_attributes as (
    select
        {{ cdp.identity_record_key('support', 'tickets', 'ticket_id') }} as record_key,
        first_name,
        last_name,
        cast(null as {{ dbt.type_string() }}) as postal_code,
        cast(null as {{ dbt.type_string() }}) as country_code,
        cast(null as date) as birth_date,
        email,
        phone_e164
    from support_tickets
),

esp_profile_attributes as (
    select
        {{ cdp.identity_record_key('esp', 'profiles', 'esp_profile_id') }} as record_key,
        first_name,
        last_name,
        cast(null as {{ dbt.type_string() }}) as postal_code,
        country_code,
        cast(null as date) as birth_date,
        email,
        phone_e164
    from esp_profiles
),

attributes as (
    select * from shop_customer_attributes
    union all
    select * from shop_order_attributes
    union all
    select * from crm_contact_attributes
    union all
    select * from loyalty_member_attributes
    union all
    select * from support_ticket_attributes
    union all
    select * from esp_profile_attributes
),

-- Only the records that landed since the last run (every record on a full build) are reduced.
landed_attributes as (
    select
        attributes.*,
        landed_records.loaded_at
    from attributes
    inner join landed_records
        on attributes.record_key = landed_records.record_key
),

reduced as (
    select
        record_key,
        first_name,
        last_name,
        postal_code,
        country_code,
        birth_date,
        email,
        phone_e164,
        loaded_at,
        {{ cdp.first_name_key('first_name') }} as first_name_key,
        -- the same reduction as first names: "O'Brien-Smith" -> "obriensmith"
        {{ cdp.first_name_key('last_name') }} as last_name_key,
        nullif(upper({{ cdp.regexp_replace_all('postal_code', '[^A-Za-z0-9]', '') }}), '') as postal_code_key,
        {{ dbt.right('phone_e164', 7) }} as phone_last_digits
    from landed_attributes
),

final as (
    select
        record_key,
        first_name,
        last_name,
        postal_code,
        country_code,
        email,
        phone_e164,
        first_name_key,
        last_name_key,
        postal_code_key,
        phone_last_digits,
        left(first_name_key, 1) as first_initial,
        {{ cdp.soundex('last_name_key') }} as last_name_soundex,
        birth_date,
        loaded_at
    from reduced
)

select * from final
