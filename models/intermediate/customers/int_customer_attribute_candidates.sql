-- Every value a source holds for a customer's golden-record attributes, with when it was observed.
-- Emails and phones the identity rules blocklisted or found over-shared are not candidates: they are
-- junk or nobody's own. Adding a source or attribute: add it to the observations below and to
-- seeds/survivorship_rules.csv. Incremental: a run recomputes only the customers whose records changed
-- (cdp.changed_customers).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_changed_customers() }}",
) }}
{%- set changed_customers = cdp.changed_customers() %}

with

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
    {{ cdp.changed_customers_filter(changed_customers) }}
),

-- Junk and nobody's own values: blocklisted or over-shared emails and phones.
junk_values as (
    select distinct
        id_type,
        raw_value
    from {{ ref('int_identity_nodes') }}
    where quarantine_reason in ('blocklisted', 'over_shared')
),

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
    {{ cdp.changed_records_filter(changed_customers, 'shop', 'customers', 'shop_customer_id') }}
),

shop_orders as (
    select * from {{ ref('stg_shop__orders') }}
    {{ cdp.changed_records_filter(changed_customers, 'shop', 'orders', 'order_id') }}
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
    {{ cdp.changed_records_filter(changed_customers, 'crm', 'contacts', 'crm_contact_id') }}
),

loyalty_members as (
    select * from {{ ref('stg_loyalty__members') }}
    {{ cdp.changed_records_filter(changed_customers, 'loyalty', 'members', 'loyalty_member_id') }}
),

support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
    {{ cdp.changed_records_filter(changed_customers, 'support', 'tickets', 'ticket_id') }}
),

esp_profiles as (
    select * from {{ ref('stg_esp__profiles') }}
    {{ cdp.changed_records_filter(changed_customers, 'esp', 'profiles', 'esp_profile_id') }}
),

observations as (
    {{ cdp.attribute_observations('shop_customers', 'shop', 'customers', 'shop_customer_id', 'updated_at', {
        'first_name': 'first_name', 'last_name': 'last_name', 'email': 'email', 'phone': 'phone_e164',
        'country_code': 'country_code', 'postal_code': 'postal_code',
    }) }}
    union all
    {{ cdp.attribute_observations('shop_orders', 'shop', 'orders', 'order_id', 'ordered_at', {
        'first_name': 'billing_first_name', 'last_name': 'billing_last_name', 'email': 'email',
        'phone': 'phone_e164', 'country_code': 'billing_country_code', 'postal_code': 'billing_postal_code',
    }) }}
    union all
    {{ cdp.attribute_observations('crm_contacts', 'crm', 'contacts', 'crm_contact_id', 'updated_at', {
        'first_name': 'first_name', 'last_name': 'last_name', 'email': 'email', 'phone': 'phone_e164',
        'country_code': 'country_code', 'postal_code': 'postal_code', 'company_name': 'company_name',
    }) }}
    union all
    {{ cdp.attribute_observations('loyalty_members', 'loyalty', 'members', 'loyalty_member_id', 'updated_at', {
        'first_name': 'first_name', 'last_name': 'last_name', 'email': 'email', 'phone': 'phone_e164',
        'country_code': 'country_code', 'postal_code': 'postal_code', 'birth_date': 'birth_date',
    }) }}
    union all
    {{ cdp.attribute_observations('support_tickets', 'support', 'tickets', 'ticket_id', 'updated_at', {
        'first_name': 'first_name', 'last_name': 'last_name', 'email': 'email', 'phone': 'phone_e164',
    }) }}
    union all
    {{ cdp.attribute_observations('esp_profiles', 'esp', 'profiles', 'esp_profile_id', 'updated_at', {
        'first_name': 'first_name', 'last_name': 'last_name', 'email': 'email', 'phone': 'phone_e164',
        'country_code': 'country_code',
    }) }}
),

-- The identity node an email or phone observation corresponds to (emails by their match key).
observed_identifiers as (
    select
        observations.*,
        case observations.attribute
            when 'email' then {{ cdp.email_match_key('observations.attribute_value') }}
            when 'phone' then observations.attribute_value
        end as identifier_value
    from observations
),

final as (
    select
        customer_ids.customer_id,
        observed_identifiers.attribute,
        observed_identifiers.attribute_value,
        observed_identifiers.source,
        observed_identifiers.record_key,
        observed_identifiers.observed_at,
        {{ cdp.run_timestamp() }} as refreshed_at
    from observed_identifiers
    inner join customer_ids
        on observed_identifiers.record_key = customer_ids.record_key
    left join junk_values
        on
            observed_identifiers.attribute = junk_values.id_type
            and observed_identifiers.identifier_value = junk_values.raw_value
    where junk_values.raw_value is null
)

select * from final
