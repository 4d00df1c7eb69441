-- Probabilistic links a person should look at: pairs of customers scored between the review and the link
-- thresholds, strong pairs held back (conflict: both already hold an account of one system; ambiguous: a
-- conflicting customer matches nearly as well; several systems each without a shared identifier), and the
-- decisions already taken in the matching_decisions seed. Each row shows the best pair of records of the two
-- customers side by side, with the level and weight of every comparison. To decide, add the two record keys
-- to seeds/matching_decisions.csv with `link` or `never`; the next build applies it. Forgotten customers are
-- left out.

with

links as (
    select * from {{ ref('int_matching_links') }}
    where not is_linked or is_manual
),

scored_pairs as (
    select * from {{ ref('int_matching_scored_pairs') }}
),

records as (
    select * from {{ ref('int_matching_records') }}
),

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
),

deleted_customers as (
    select * from {{ ref('int_privacy_deleted_customers') }}
),

compared as (
    select
        links.*,
        scored_pairs.comparison_levels
    from links
    left join scored_pairs
        on
            links.record_key_a = scored_pairs.record_key_a
            and links.record_key_b = scored_pairs.record_key_b
),

final as (
    select
        {{ dbt.concat(["compared.record_key_a", "' -- '", "compared.record_key_b"]) }} as match_review_key,
        compared.record_key_a,
        compared.record_key_b,
        customer_a.customer_id as customer_id_a,
        customer_b.customer_id as customer_id_b,
        compared.decision,
        compared.decision_reason,
        compared.match_rule,
        compared.comparison_levels,
        record_a.source as source_a,
        record_b.source as source_b,
        record_a.first_name as first_name_a,
        record_b.first_name as first_name_b,
        record_a.last_name as last_name_a,
        record_b.last_name as last_name_b,
        record_a.postal_code as postal_code_a,
        record_b.postal_code as postal_code_b,
        record_a.country_code as country_code_a,
        record_b.country_code as country_code_b,
        record_a.email as email_a,
        record_b.email as email_b,
        record_a.phone_e164 as phone_e164_a,
        record_b.phone_e164 as phone_e164_b,
        compared.match_weight,
        compared.match_probability,
        compared.is_manual,
        record_a.birth_date as birth_date_a,
        record_b.birth_date as birth_date_b,
        compared.first_seen_at
    from compared
    inner join records as record_a
        on compared.record_key_a = record_a.record_key
    inner join records as record_b
        on compared.record_key_b = record_b.record_key
    left join customer_ids as customer_a
        on compared.record_key_a = customer_a.record_key
    left join customer_ids as customer_b
        on compared.record_key_b = customer_b.record_key
    left join deleted_customers as deleted_a
        on customer_a.customer_id = deleted_a.customer_id
    left join deleted_customers as deleted_b
        on customer_b.customer_id = deleted_b.customer_id
    where
        deleted_a.customer_id is null
        and deleted_b.customer_id is null
)

select * from final
