{#-
    The query of int_customer_record_fingerprints: every resolved identity record with its customer and a
    fingerprint of what the customer-level models read from it. With `candidates` (a relation or CTE with a
    record_key column), only those records: each input is read for them alone, so int_customer_changes
    fingerprints the records whose inputs a run rewrote without reading every record's identifiers.
    A plain select (no WITH), so that it can be the body of a CTE on every engine.
-#}
{% macro customer_record_fingerprints(candidates=none) %}
    {%- set only_candidates = 'where record_key in (select record_key from ' ~ candidates ~ ')' if candidates else '' -%}
    select
        customer_ids.record_key,
        customer_ids.customer_id,
        {{ dbt.concat([
            dbt.cast('records.loaded_at', dbt.type_string()), "'|'",
            "coalesce(record_identifiers.identifiers_fingerprint, '')",
        ]) }} as fingerprint
    from (
        select
            record_key,
            customer_id
        from {{ ref('int_identity_customer_ids') }}
        {{ only_candidates }}
    ) as customer_ids
    inner join (
        select
            record_key,
            loaded_at
        from {{ ref('int_identity_records') }}
        {{ only_candidates }}
    ) as records
        on customer_ids.record_key = records.record_key
    -- An identifier that links by its own value and is not quarantined changes only when the record's rows
    -- land again, which loaded_at already tells: only the others enter the hash.
    left join (
        select
            identifiers.record_key,
            {{ cdp.set_fingerprint([
                'identifiers.id_type', 'identifiers.source_value', 'identifiers.link_value',
                'quarantined.quarantine_reason',
            ]) }} as identifiers_fingerprint
        from (
            select * from {{ ref('int_identity_linking_identifiers') }}
            {{ only_candidates }}
        ) as identifiers
        left join {{ ref('int_identity_nodes') }} as quarantined
            on
                identifiers.id_type = quarantined.id_type
                and identifiers.link_value = quarantined.id_value
                and quarantined.quarantine_reason is not null
        where
            identifiers.link_value != identifiers.id_value
            or quarantined.quarantine_reason is not null
        group by identifiers.record_key
    ) as record_identifiers
        on customer_ids.record_key = record_identifiers.record_key
{%- endmacro %}
