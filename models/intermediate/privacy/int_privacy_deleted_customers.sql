-- Customers who asked to be forgotten: every customer holding an identifier named in a deletion request
-- (after identity resolution, so all of the person's records go, whichever identifier they gave). A
-- request naming a shared identifier removes every customer holding it: forgetting too much is the safe
-- side. Every mart and audience excludes these customers; activation turns them into deletes.
with

requests as (
    select * from {{ ref('stg_privacy__deletion_requests') }}
    where identifier_value is not null
),

identifiers as (
    select * from {{ ref('int_identity_identifiers') }}
),

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
),

requested_identifiers as (
    select
        deletion_request_id,
        requested_at,
        identifier_type as id_type,
        case
            when identifier_type = 'email' then {{ cdp.email_match_key('identifier_value') }}
            else identifier_value
        end as id_value
    from requests
),

matched as (
    select
        customer_ids.customer_id,
        requested_identifiers.deletion_request_id,
        requested_identifiers.requested_at
    from requested_identifiers
    inner join identifiers
        on
            requested_identifiers.id_type = identifiers.id_type
            and requested_identifiers.id_value = identifiers.id_value
    inner join customer_ids
        on identifiers.record_key = customer_ids.record_key
),

final as (
    select
        customer_id,
        min(requested_at) as requested_at,
        count(distinct deletion_request_id) as deletion_requests
    from matched
    group by customer_id
)

select * from final
