-- Ad-platform audiences (Meta Custom Audiences, Google Customer Match): one row per customer and segment,
-- only with granted ads consent, identifiers normalised and SHA-256 hashed as the platforms specify:
-- email trimmed and lower-cased; phone as digits with country code and no '+'; names lower-cased, letters
-- only; country
-- as lower-case ISO code; postal code lower-cased without spaces. No clear-text identifier leaves here.
with

memberships as (
    select * from {{ ref('segment_memberships') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

consent as (
    select * from {{ ref('customer_consent') }}
    where channel = 'ads' and is_granted
),

final as (
    select
        {{ dbt.concat(["memberships.customer_id", "':'", "memberships.segment"]) }} as sync_key,
        memberships.customer_id,
        memberships.segment as audience_key,
        {{ cdp.sha256_hex("lower(trim(customers.email))") }} as email_sha256,
        {{ cdp.sha256_hex("replace(customers.phone_e164, '+', '')") }} as phone_sha256,
        {{ cdp.sha256_hex(cdp.regexp_replace_all("lower(customers.first_name)", "\\s|['.,0-9_()-]", "")) }}
            as first_name_sha256,
        {{ cdp.sha256_hex(cdp.regexp_replace_all("lower(customers.last_name)", "\\s|['.,0-9_()-]", "")) }}
            as last_name_sha256,
        {{ cdp.sha256_hex("lower(replace(customers.postal_code, ' ', ''))") }} as postal_code_sha256,
        {{ cdp.sha256_hex("lower(customers.country_code)") }} as country_sha256,
        lower(customers.country_code) as country_code
    from memberships
    inner join customers
        on memberships.customer_id = customers.customer_id
    inner join consent
        on memberships.customer_id = consent.customer_id
    where customers.email is not null or customers.phone_e164 is not null
)

select * from final
