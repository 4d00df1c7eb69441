-- The person attributes probabilistic matching compares, one row per profile-like identity record (shop
-- accounts, orders' billing names, CRM contacts, loyalty members, support tickets, ESP profiles), reduced
-- for comparison: names to letters only (accents folded), postal codes to upper-case letters and digits,
-- phones to their last digits; plus the blocking keys of vars.matching_blocking_rules (first initial,
-- surname Soundex). Each record carries its anchor node (a probabilistic link joins two anchors) and the
-- component the identity rules already put it in. Records without a linkable identifier are left out:
-- there is nothing in the identity graph to attach them to.
-- Adding a source with names: add its CTE below with the attributes it carries (NULL where it has none).
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

records as (
    select * from {{ ref('int_identity_records') }}
),

anchors as (
    select * from {{ ref('int_identity_record_anchors') }}
),

rule_components as (
    select * from {{ ref('int_matching_rule_components') }}
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

-- Names and postal codes reduced once per distinct value (a surname repeated on every order of a family
-- once), then joined back: the reductions are regular expressions and the Soundex code.
first_names as (
    select
        first_name,
        {{ cdp.first_name_key('first_name') }} as first_name_key
    from (
        select distinct first_name from attributes
        where first_name is not null
    ) as distinct_first_names
),

last_names as (
    select
        last_name,
        -- the same reduction as first names: "O'Brien-Smith" -> "obriensmith"
        {{ cdp.first_name_key('last_name') }} as last_name_key
    from (
        select distinct last_name from attributes
        where last_name is not null
    ) as distinct_last_names
),

postal_codes as (
    select
        postal_code,
        nullif(upper({{ cdp.regexp_replace_all('postal_code', '[^A-Za-z0-9]', '') }}), '') as postal_code_key
    from (
        select distinct postal_code from attributes
        where postal_code is not null
    ) as distinct_postal_codes
),

first_name_keys as (
    select
        first_name,
        first_name_key,
        left(first_name_key, 1) as first_initial
    from first_names
),

last_name_keys as (
    select
        last_name,
        last_name_key,
        {{ cdp.soundex('last_name_key') }} as last_name_soundex
    from last_names
),

reduced as (
    select
        attributes.record_key,
        attributes.first_name,
        attributes.last_name,
        attributes.postal_code,
        attributes.country_code,
        attributes.birth_date,
        attributes.email,
        attributes.phone_e164,
        first_name_keys.first_name_key,
        first_name_keys.first_initial,
        last_name_keys.last_name_key,
        last_name_keys.last_name_soundex,
        postal_codes.postal_code_key,
        {{ dbt.right('attributes.phone_e164', 7) }} as phone_last_digits
    from attributes
    left join first_name_keys
        on attributes.first_name = first_name_keys.first_name
    left join last_name_keys
        on attributes.last_name = last_name_keys.last_name
    left join postal_codes
        on attributes.postal_code = postal_codes.postal_code
),

final as (
    select
        reduced.record_key,
        records.source,
        records.entity,
        anchors.anchor_node_id,
        coalesce(rule_components.component_id, anchors.anchor_node_id) as rule_component_id,
        reduced.first_name,
        reduced.last_name,
        reduced.postal_code,
        reduced.country_code,
        reduced.email,
        reduced.phone_e164,
        reduced.first_name_key,
        reduced.last_name_key,
        reduced.postal_code_key,
        reduced.phone_last_digits,
        reduced.first_initial,
        reduced.last_name_soundex,
        reduced.birth_date,
        records.first_seen_at
    from reduced
    inner join records
        on reduced.record_key = records.record_key
    inner join anchors
        on reduced.record_key = anchors.record_key
    left join rule_components
        on anchors.anchor_node_id = rule_components.node_id
)

select * from final
