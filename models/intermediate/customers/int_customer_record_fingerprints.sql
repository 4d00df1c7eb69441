-- Every resolved identity record with its customer and a fingerprint of what the customer-level models read
-- from it: when its newest source row landed (any change to the record's rows lands again) and its
-- identifiers as the identity step left them (the value each links by, why it may not link). Two runs give
-- a record the same fingerprint exactly when none of that changed. An identifier that links by its own value
-- and is not quarantined changes only when the record's rows land again, which loaded_at already tells: only
-- the others (split by first name, quarantined) enter the hash, a small share of all identifiers.
-- The query is cdp.customer_record_fingerprints, which int_customer_changes also runs for some records only.
{{ config(materialized='ephemeral') }}

{{ cdp.customer_record_fingerprints() }}
