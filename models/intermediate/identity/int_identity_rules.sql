-- The identity rules in force: the rows of the identity_id_types seed for the ruleset chosen by the var
-- identity_ruleset (default, or the strict and loose variants `make evaluate` compares). Every identity
-- model reads the rules from here.
with

id_types as (
    select * from {{ ref('identity_id_types') }}
),

final as (
    select
        id_type,
        priority,
        is_account,
        max_per_customer,
        max_records_per_value,
        when_shared,
        description
    from id_types
    where ruleset = '{{ var("identity_ruleset") }}'
)

select * from final
