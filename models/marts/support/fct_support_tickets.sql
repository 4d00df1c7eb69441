-- Every helpdesk ticket keyed by customer, with how long it took to solve.
with

tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
),

deleted_customers as (
    select * from {{ ref('int_privacy_deleted_customers') }}
),

final as (
    select
        tickets.ticket_id,
        customer_ids.customer_id,
        tickets.ticket_status,
        tickets.ticket_priority,
        tickets.ticket_channel,
        tickets.is_open,
        {{ dbt.datediff('tickets.created_at', 'tickets.solved_at', 'hour') }}
            as hours_to_solve,
        tickets.created_at,
        tickets.solved_at,
        tickets.updated_at
    from tickets
    left join customer_ids
        on {{ cdp.identity_record_key('support', 'tickets', 'tickets.ticket_id') }} = customer_ids.record_key
    left join deleted_customers
        on customer_ids.customer_id = deleted_customers.customer_id
    where deleted_customers.customer_id is null
)

select * from final
