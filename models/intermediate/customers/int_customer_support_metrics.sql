-- Helpdesk activity per customer.
with

tickets as (
    select * from {{ ref('fct_support_tickets') }}
    where customer_id is not null
),

final as (
    select
        customer_id,
        count(*) as tickets,
        sum(case when is_open then 1 else 0 end) as open_tickets,
        max(created_at) as last_ticket_at
    from tickets
    group by customer_id
)

select * from final
