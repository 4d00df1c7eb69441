"""Every rate the generator uses, in one place.

Probabilities are per person (participation), per record (messiness) or per event (delivery), as each
comment says. Count distributions are {count: weight} dictionaries. `sample/README.md` documents them as a
table and `truth/manifest.json` records the values used for each run.
"""

from __future__ import annotations

# ------------------------------------------------------------------------------ population (per person)
HOUSEHOLD_NEW_PROB = 0.7  # a person starts a new household (else joins the previous person's); size <= 6
HISTORY_DAYS = 3 * 365  # the initial load spans this many days before --as-of
FEMALE_SHARE = 0.51
EMAIL_CHANGE = 0.20  # person moves to a second email at some date; later records use the new one
# Of households with >= 2 people: the second person uses the head's email in loyalty, ESP and support.
SHARED_FAMILY_EMAIL = 0.15
# Of households with >= 2 people: the first two share an app tablet (both get shop accounts and the app).
FAMILY_TABLET = 0.03
# People whose only footprints are guest orders (email, no phone) and a loyalty card (phone, no email):
# unlinkable until a batch opens a shop account carrying both (a merge).
SPLIT_ARCHETYPE = 0.02
# Of people living alone: a "name twin" of an unrelated earlier person (same first and last name, sex,
# country and postal code; own birth date, email and phone), a trap for probabilistic matching.
NAME_TWIN = 0.01

# -------------------------------------------------------------------------- participation (per person)
SHOP_ACCOUNT = 0.45  # has a shop account
SHOP_DUPLICATE_ACCOUNT = 0.03  # of account holders: second account with a gmail-dot or +tag variant
GUEST_SHOPPER = 0.20  # of people without an account: ordered as a guest
ACCOUNT_ORDERS = {0: 20, 1: 35, 2: 22, 3: 12, 4: 6, 5: 3, 6: 2}  # orders per account holder
GUEST_ORDERS = {1: 80, 2: 20}  # orders per guest shopper
GUEST_ORDER_BY_ACCOUNT_HOLDER = 0.08  # of an account holder's orders: placed as guest (email only)
ORDER_LINES = {1: 60, 2: 27, 3: 10, 4: 3}  # lines per shop order
ABANDONER = 0.25  # of shoppers: has abandoned checkouts
ABANDONED_CHECKOUTS = {1: 75, 2: 25}
CROSS_DEVICE = 0.35  # of abandoners: abandoned on mobile (not logged in), bought on desktop 1-72 h later
CHECKOUT_TWO_VERSIONS = 0.10  # of completed checkouts: an earlier abandoned version is also delivered
# Final status of an order; refunds and voids also deliver a later second version of the order.
ORDER_STATUS = {"paid": 88, "pending": 2, "refunded": 5, "partially_refunded": 3, "voided": 2}
CRM_CONTACT = 0.20
CRM_DUPLICATE = 0.06  # of CRM contacts: a second contact for the same person (import, form)
CRM_SECOND_VERSION = 0.40  # of contacts: lifecycle stage changes later
WEB_VISITOR = 0.55
WEB_COOKIES = {1: 60, 2: 30, 3: 10}  # cookies (browsers/devices) per web visitor
WEB_EVENTS_PER_COOKIE = {1: 15, 2: 30, 3: 30, 4: 15, 5: 10}
WEB_IDENTIFIED_COOKIE = 0.65  # cookie sends an identify call at some point
WEB_IDENTIFY_WITH_EMAIL = 0.70  # identify carries traits.email (else user_id only, when logged in)
WEB_CONSENT_BANNER = 0.50  # cookie's first event is a Consent Updated choice
WEB_ADS_CONSENT = 0.60  # of banner choices: ads consent granted
WEB_CONSENT_CHANGED_LATER = 0.15  # of banner cookies: last event flips the choice (mostly to opt-out)
APP_USER = 0.18
APP_EVENTS = {2: 25, 3: 30, 4: 20, 5: 15, 6: 10}
APP_LOGGED_IN_EVENT = 0.75  # of an account holder's app events after login
TABLET_EVENTS = {2: 50, 3: 30, 4: 20}
TABLET_ANONYMOUS_EVENT = 0.30  # of tablet events: nobody logged in
POS_SHOPPER = 0.30
POS_TRANSACTIONS = {1: 45, 2: 30, 3: 15, 4: 10}
POS_LINES = {1: 50, 2: 30, 3: 15, 4: 5}
POS_AWAY_STORE = 0.15  # of transactions: another store of the same country
LOYALTY_MEMBER_IF_POS = 0.55
LOYALTY_MEMBER_OTHERWISE = 0.05
LOYALTY_SECOND_VERSION = 0.50  # of members: points/tier update later
SUPPORT_REQUESTER = 0.08
SUPPORT_TICKETS = {1: 75, 2: 20, 3: 5}
TICKET_SOLVED = 0.85  # of tickets: a second version with status solved/closed
ESP_PROFILE = 0.45
ESP_DUPLICATE_PROFILE = 0.05  # of ESP profiles: a second profile for the new email or a +tag variant
ESP_SECOND_VERSION = 0.30  # of profiles: updated later
ESP_SMS = 0.25  # of ESP profiles: also SMS subscribed
ESP_EVENTS = {0: 15, 1: 25, 2: 25, 3: 20, 4: 10, 5: 5}
# Of people with a shop footprint (an account or orders; not split people): ONE record in a system they do
# not use yet that shares no identifier with their other records (no email, phone, card or account id in
# common), only similar person attributes: a CRM contact from a business card (work email, office line),
# a loyalty member enrolled in store with a landline only (true birth date), or a support ticket from a
# work address. Only probabilistic matching can link it; truth/probabilistic_links.parquet lists them.
PROBABILISTIC_RECORD = 0.065
PROBABILISTIC_SYSTEM = {"crm": 45, "loyalty": 40, "support": 15}  # preferred system; else the next unused
PROBABILISTIC_FIRST_NAME = {"same": 55, "nickname": 25, "typo": 20}  # nickname: the same if none exists
PROBABILISTIC_LAST_NAME_TYPO = 0.15  # else the same last name
DELETION_REQUEST = 0.0001  # of people: a right-to-be-forgotten request (at least MIN_DELETION_REQUESTS)
MIN_DELETION_REQUESTS = 5

# ---------------------------------------------------------------------------------- consent (per person)
EMAIL_MARKETING_OPT_IN = 0.60  # initial email consent
SMS_MARKETING_OPT_IN = 0.25  # initial SMS consent
CONSENT_CHANGED_LATER = 0.20  # consent flips once later (an opt-in becomes an opt-out, or the reverse)
ESP_EMAIL_UNSUBSCRIBE = 0.18  # of ESP profiles: email UNSUBSCRIBED later
ESP_RESUBSCRIBE = 0.15  # of those: SUBSCRIBED again even later
ESP_SMS_STOP = 0.20  # of SMS subscribers: STOP keyword later
LOYALTY_SMS_OPT_IN = 0.35
LOYALTY_SMS_OPT_OUT_LATER = 0.25  # of loyalty SMS opt-ins: opt out in a later version

# ------------------------------------------------------------------------------ messiness (per record)
EMAIL_UPPER = 0.03  # whole email upper-cased
EMAIL_MIXED_CASE = 0.08  # first letter and/or domain capitalised
EMAIL_WHITESPACE = 0.04  # leading/trailing spaces
GMAIL_DOT_VARIANT = 0.12  # of gmail addresses: dots added or removed in the local part
EMAIL_PLUS_TAG = 0.04  # local part gets a +tag
# Email/phone field holds a junk value; not in systems that keep one record per email or phone and validate
# it (shop accounts, CRM contacts and ESP profiles for emails; shop accounts and ESP profiles for phones).
JUNK_EMAIL = 0.01
JUNK_PHONE = 0.01
NAME_TYPO = 0.03  # one edit (deletion, substitution, transposition, insertion)
NAME_NICKNAME = 0.15  # of people with a nickname: a record uses it instead of the first name
NAME_LOWER = 0.04
NAME_UPPER = 0.03
NAME_WHITESPACE = 0.03  # stray leading/trailing/double space
COUNTRY_MISSING = 0.06
COUNTRY_AS_CODE = 0.50  # else one of the country's other spellings (names, other case, U.S., UK, ...)
POSTAL_MESSY = 0.08  # lower-cased, space removed or added
STORE_DEFAULT_PHONE = 0.06  # of till transactions where a phone is typed: the store's own number

# Field missing rates per source (probability the field is NULL/empty on a record).
MISSING = {
    "shop.customers.phone": 0.45,
    "shop.customers.name": 0.03,
    "shop.customers.zip": 0.10,
    "shop.orders.email": 0.01,
    "shop.orders.phone": 0.60,
    "shop.checkouts.email": 0.15,
    "shop.checkouts.phone": 0.70,
    "crm.contacts.email": 0.08,
    "crm.contacts.phone": 0.35,
    "crm.contacts.company": 0.45,
    "loyalty.members.email": 0.15,
    "loyalty.members.phone": 0.10,
    "loyalty.members.birth_date": 0.30,
    "support.tickets.email_when_phone_channel": 0.60,
    "support.tickets.phone_other_channels": 0.90,
    "esp.profiles.phone": 0.50,
    "esp.profiles.name": 0.30,
    "esp.profiles.country": 0.40,
}

# A household member who signs up to the ESP with the family email gives their own name (the sign-up form
# asks for it): without it no rule, deterministic or probabilistic, could tell their profile from the
# email owner's. Other ESP profiles miss the name at MISSING["esp.profiles.name"].
FAMILY_SIGNUP_NAME_MISSING = 0.0

# How phones are written, per source: {format: weight}. Formats are defined in sql.py (fmt_phone).
PHONE_FORMATS = {
    "customer_typed": {
        "e164": 15,
        "intl": 12,
        "intl00": 2,
        "intl00_spaced": 2,
        "intl_trunk": 4,
        "nat": 30,
        "nat_dash": 12,
        "nat_dot": 5,
        "nat_compact": 10,
        "us1": 4,
        "digits_cc": 4,
    },
    "crm": {"e164": 25, "intl": 25, "nat": 30, "nat_dash": 10, "nat_compact": 10},
    "till": {"nat": 40, "nat_compact": 45, "nat_dash": 15},
    "esp": {"e164": 90, "intl": 5, "nat": 5},
}

# ------------------------------------------------------------------------------- delivery (per event)
DUPLICATE_DELIVERY = 0.02  # web/app/esp event delivered twice (same message_id / event_id)
LATE_ARRIVAL = 0.03  # event received 1-5 days after it happened (never before the person or profile began)
# Batch K re-delivers events that an earlier load already delivered (same message_id / event_id, identical
# payload, K's _loaded_at): this share of the batch's new events of each table (web, app, ESP), at least
# one, drawn from the events received in the REDELIVERY_LOOKBACK_DAYS before the batch.
REDELIVERED_EVENTS = 0.02
REDELIVERY_LOOKBACK_DAYS = 2

# --------------------------------------------------------------------------- till (per transaction)
POS_CARD_SCANNED = 0.70  # of a loyalty member's till transactions: card scanned or typed
POS_PHONE_WITH_CARD = 0.10  # card scanned and a phone typed as well (e-receipt)
POS_PHONE_IF_NO_CARD = 0.35  # member without card at till: phone typed instead
POS_PHONE_NON_MEMBER = 0.08  # non-member: cashier asks for a phone (e-receipt)
POS_CARD_JUNK = 0.03  # of typed cards: junk

# ------------------------------------------------------------------------------------- batches (K >= 1)
BATCH_FRACTION = 0.01  # default --batch-fraction: batch rows ~ this share of the base rows
# Shares of a batch's people by kind (normalised); rows per person differ per kind.
BATCH_KINDS = {"new_person": 25, "activity": 55, "new_identifier": 8, "merge": 4, "profile_update": 8}
BATCH_DELETION_REQUESTS = 2  # deletion requests per batch, among its active people
FRESHNESS_EVENTS = 3000  # --scenario freshness: about this many new events
FRESHNESS_PURCHASES = 5  # abandoned-checkout people who now buy
# ... preferably people who abandoned within this many days (the dbt var segment_cart_abandonment_days), so
# that the CDP lists them as cart abandoners and the purchase must take them out of that segment
FRESHNESS_ABANDONED_WITHIN_DAYS = 7
FRESHNESS_OPT_OUTS = 5  # subscribed ESP profiles that now unsubscribe
