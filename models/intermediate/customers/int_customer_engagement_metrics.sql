-- Recent engagement per customer: last web visit, app use and email interaction, and email activity over
-- the last 90 days (as of the as_of var, default now).
with

events as (
    select * from {{ ref('fct_events') }}
    where customer_id is not null
),

final as (
    select
        customer_id,
        max(case when channel = 'web' then occurred_at end) as last_web_visit_at,
        max(case when channel = 'app' then occurred_at end) as last_app_event_at,
        max(case when event_name in ('opened_email', 'clicked_email') then occurred_at end)
            as last_email_engagement_at,
        sum(
            case
                when
                    event_name = 'opened_email'
                    and occurred_at >= {{ dbt.dateadd('day', -90, cdp.as_of_timestamp()) }}
                    then 1
                else 0
            end
        ) as email_opens_90d,
        sum(
            case
                when
                    event_name = 'clicked_email'
                    and occurred_at >= {{ dbt.dateadd('day', -90, cdp.as_of_timestamp()) }}
                    then 1
                else 0
            end
        ) as email_clicks_90d,
        max(occurred_at) as last_event_at
    from events
    group by customer_id
)

select * from final
