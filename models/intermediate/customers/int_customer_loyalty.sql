-- Loyalty standing per customer: the highest tier and the points of their most recently updated card.
with

members as (
    select * from {{ ref('stg_loyalty__members') }}
),

customer_ids as (
    select * from {{ ref('int_identity_customer_ids') }}
),

ranked as (
    select
        customer_ids.customer_id,
        members.loyalty_tier,
        members.points_balance,
        members.loyalty_card_id,
        row_number() over (
            partition by customer_ids.customer_id
            order by
                case members.loyalty_tier
                    when 'platinum' then 4 when 'gold' then 3 when 'silver' then 2 when 'bronze' then 1 else 0
                end desc,
                members.updated_at desc,
                members.loyalty_member_id asc
        ) as tier_rank
    from members
    inner join customer_ids
        on {{ cdp.identity_record_key('loyalty', 'members', 'members.loyalty_member_id') }} = customer_ids.record_key
),

final as (
    select
        customer_id,
        loyalty_tier,
        points_balance as loyalty_points,
        loyalty_card_id
    from ranked
    where tier_rank = 1
)

select * from final
