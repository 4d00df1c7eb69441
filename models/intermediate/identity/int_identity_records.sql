-- Every source record that can identify a person, with its identifiers under one spelling each.
-- A profile row (shop account, CRM contact, loyalty member, ESP profile) or transaction row (order,
-- checkout, till transaction, ticket, consent change) is one record; an event stream contributes one record
-- per distinct combination of identifiers seen together (a cookie with the user id it logged in as).
-- Adding a source: add its CTE below with the identifiers it carries.
with

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
),

shop_orders as (
    select * from {{ ref('stg_shop__orders') }}
),

shop_checkouts as (
    select * from {{ ref('stg_shop__checkouts') }}
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

web_events as (
    select * from {{ ref('stg_web__events') }}
),

app_events as (
    select * from {{ ref('stg_app__events') }}
),

pos_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
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

esp_subscriptions as (
    select * from {{ ref('stg_esp__subscriptions') }}
),

shop_customer_records as (
    {{ cdp.identity_record_select(
        'shop', 'customers', 'shop_customers', record_id='shop_customer_id',
        identifiers={'shop_customer_id': 'shop_customer_id', 'email': 'email', 'phone': 'phone_e164'},
        first_seen_at='created_at', last_seen_at='updated_at',
        first_name='first_name',
    ) }}
),

shop_order_records as (
    {{ cdp.identity_record_select(
        'shop', 'orders', 'shop_orders', record_id='order_id',
        identifiers={'shop_customer_id': 'shop_customer_id', 'email': 'email', 'phone': 'phone_e164'},
        first_seen_at='ordered_at', last_seen_at='updated_at',
        first_name='billing_first_name',
    ) }}
),

shop_checkout_records as (
    {{ cdp.identity_record_select(
        'shop', 'checkouts', 'shop_checkouts', record_id='checkout_id',
        identifiers={'shop_customer_id': 'shop_customer_id', 'email': 'email', 'phone': 'phone_e164'},
        first_seen_at='started_at', last_seen_at='updated_at',
    ) }}
),

crm_contact_records as (
    {{ cdp.identity_record_select(
        'crm', 'contacts', 'crm_contacts', record_id='crm_contact_id',
        identifiers={'crm_contact_id': 'crm_contact_id', 'email': 'email', 'phone': 'phone_e164'},
        first_seen_at='created_at', last_seen_at='updated_at',
        first_name='first_name',
    ) }}
),

web_event_records as (
    {{ cdp.identity_record_select(
        'web', 'events', 'web_events',
        identifiers={'anonymous_id': 'anonymous_id', 'shop_customer_id': 'shop_customer_id', 'email': 'email'},
        first_seen_at='occurred_at',
    ) }}
),

app_event_records as (
    {{ cdp.identity_record_select(
        'app', 'events', 'app_events',
        identifiers={'device_id': 'device_id', 'shop_customer_id': 'shop_customer_id'},
        first_seen_at='occurred_at',
    ) }}
),

pos_transaction_records as (
    {{ cdp.identity_record_select(
        'pos', 'transactions', 'pos_transactions', record_id='transaction_id',
        identifiers={'loyalty_card_id': 'loyalty_card_id', 'phone': 'phone_e164'},
        first_seen_at='transacted_at',
    ) }}
),

loyalty_member_records as (
    {{ cdp.identity_record_select(
        'loyalty', 'members', 'loyalty_members', record_id='loyalty_member_id',
        identifiers={'loyalty_card_id': 'loyalty_card_id', 'email': 'email', 'phone': 'phone_e164'},
        first_seen_at='enrolled_at', last_seen_at='updated_at',
        first_name='first_name',
    ) }}
),

support_ticket_records as (
    {{ cdp.identity_record_select(
        'support', 'tickets', 'support_tickets', record_id='ticket_id',
        identifiers={'email': 'email', 'phone': 'phone_e164'},
        first_seen_at='created_at', last_seen_at='updated_at',
        first_name='first_name',
    ) }}
),

esp_profile_records as (
    {{ cdp.identity_record_select(
        'esp', 'profiles', 'esp_profiles', record_id='esp_profile_id',
        identifiers={'esp_profile_id': 'esp_profile_id', 'email': 'email', 'phone': 'phone_e164'},
        first_seen_at='created_at', last_seen_at='updated_at',
        first_name='first_name',
    ) }}
),

esp_subscription_records as (
    {{ cdp.identity_record_select(
        'esp', 'subscriptions', 'esp_subscriptions', record_id='subscription_change_id',
        identifiers={'esp_profile_id': 'esp_profile_id', 'email': 'email', 'phone': 'phone_e164'},
        first_seen_at='consented_at',
    ) }}
),

unioned as (
    select * from shop_customer_records
    union all
    select * from shop_order_records
    union all
    select * from shop_checkout_records
    union all
    select * from crm_contact_records
    union all
    select * from web_event_records
    union all
    select * from app_event_records
    union all
    select * from pos_transaction_records
    union all
    select * from loyalty_member_records
    union all
    select * from support_ticket_records
    union all
    select * from esp_profile_records
    union all
    select * from esp_subscription_records
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
        unioned.loaded_at
    from unioned
    left join first_name_keys
        on unioned.first_name = first_name_keys.first_name
)

select * from final
