-- Customers to forget everywhere: every sync turns them into deletes at its destination and purges them
-- from its own state. Holds no personal data, only the customer id and when it was requested.
with

deleted_customers as (
    select * from {{ ref('int_privacy_deleted_customers') }}
),

final as (
    select
        customer_id,
        requested_at
    from deleted_customers
)

select * from final
