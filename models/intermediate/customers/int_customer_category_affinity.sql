-- The product category each customer spends most on (ties: most units, then alphabetical).
with

order_lines as (
    select * from {{ ref('fct_order_lines') }}
    where customer_id is not null and is_revenue and product_category is not null
),

per_category as (
    select
        customer_id,
        product_category,
        sum(line_total_reporting) as category_revenue,
        sum(quantity) as category_units
    from order_lines
    group by customer_id, product_category
),

ranked as (
    select
        customer_id,
        product_category,
        category_revenue,
        sum(category_revenue) over (partition by customer_id) as total_revenue,
        row_number() over (
            partition by customer_id
            order by category_revenue desc, category_units desc, product_category asc
        ) as category_rank
    from per_category
),

final as (
    select
        customer_id,
        product_category as top_category,
        cast(category_revenue / nullif(total_revenue, 0) as decimal(5, 4)) as top_category_share
    from ranked
    where category_rank = 1
)

select * from final
