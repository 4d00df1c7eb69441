{#-
    The staging models that hold identity records, and how each one's rows read as records. int_identity_records
    selects them, and its pre-hook (cdp.forget_landed_identity_records) deletes the records a run rebuilds:
    both from this one list. Adding a source: add its entry here.
      * model: the staging model; record_id: its row id (a profile or transaction row is one record), or
        none for an event stream (one record per combination of identifiers seen together);
      * identifiers: canonical identifier type (cdp.identity_record_id_types) -> the model's column; an
        event stream's record key hashes them in this order;
      * first_seen_at, last_seen_at: when the record was first and last seen (last defaults to first);
      * first_name: the column with the person's first name, if any (it qualifies split identifiers).
-#}
{% macro identity_record_sources() %}
    {{ return([
        {'source': 'shop', 'entity': 'customers', 'model': 'stg_shop__customers',
         'record_id': 'shop_customer_id',
         'identifiers': {'shop_customer_id': 'shop_customer_id', 'email': 'email', 'phone': 'phone_e164'},
         'first_seen_at': 'created_at', 'last_seen_at': 'updated_at', 'first_name': 'first_name'},
        {'source': 'shop', 'entity': 'orders', 'model': 'stg_shop__orders',
         'record_id': 'order_id',
         'identifiers': {'shop_customer_id': 'shop_customer_id', 'email': 'email', 'phone': 'phone_e164'},
         'first_seen_at': 'ordered_at', 'last_seen_at': 'updated_at', 'first_name': 'billing_first_name'},
        {'source': 'shop', 'entity': 'checkouts', 'model': 'stg_shop__checkouts',
         'record_id': 'checkout_id',
         'identifiers': {'shop_customer_id': 'shop_customer_id', 'email': 'email', 'phone': 'phone_e164'},
         'first_seen_at': 'started_at', 'last_seen_at': 'updated_at'},
        {'source': 'crm', 'entity': 'contacts', 'model': 'stg_crm__contacts',
         'record_id': 'crm_contact_id',
         'identifiers': {'crm_contact_id': 'crm_contact_id', 'email': 'email', 'phone': 'phone_e164'},
         'first_seen_at': 'created_at', 'last_seen_at': 'updated_at', 'first_name': 'first_name'},
        {'source': 'web', 'entity': 'events', 'model': 'stg_web__events',
         'record_id': none,
         'identifiers': {
             'anonymous_id': 'anonymous_id', 'shop_customer_id': 'shop_customer_id', 'email': 'email'
         },
         'first_seen_at': 'occurred_at'},
        {'source': 'app', 'entity': 'events', 'model': 'stg_app__events',
         'record_id': none,
         'identifiers': {'device_id': 'device_id', 'shop_customer_id': 'shop_customer_id'},
         'first_seen_at': 'occurred_at'},
        {'source': 'pos', 'entity': 'transactions', 'model': 'stg_pos__transactions',
         'record_id': 'transaction_id',
         'identifiers': {'loyalty_card_id': 'loyalty_card_id', 'phone': 'phone_e164'},
         'first_seen_at': 'transacted_at'},
        {'source': 'loyalty', 'entity': 'members', 'model': 'stg_loyalty__members',
         'record_id': 'loyalty_member_id',
         'identifiers': {'loyalty_card_id': 'loyalty_card_id', 'email': 'email', 'phone': 'phone_e164'},
         'first_seen_at': 'enrolled_at', 'last_seen_at': 'updated_at', 'first_name': 'first_name'},
        {'source': 'support', 'entity': 'tickets', 'model': 'stg_support__tickets',
         'record_id': 'ticket_id',
         'identifiers': {'email': 'email', 'phone': 'phone_e164'},
         'first_seen_at': 'created_at', 'last_seen_at': 'updated_at', 'first_name': 'first_name'},
        {'source': 'esp', 'entity': 'profiles', 'model': 'stg_esp__profiles',
         'record_id': 'esp_profile_id',
         'identifiers': {'esp_profile_id': 'esp_profile_id', 'email': 'email', 'phone': 'phone_e164'},
         'first_seen_at': 'created_at', 'last_seen_at': 'updated_at', 'first_name': 'first_name'},
        {'source': 'esp', 'entity': 'subscriptions', 'model': 'stg_esp__subscriptions',
         'record_id': 'subscription_change_id',
         'identifiers': {'esp_profile_id': 'esp_profile_id', 'email': 'email', 'phone': 'phone_e164'},
         'first_seen_at': 'consented_at'}
    ]) }}
{% endmacro %}
