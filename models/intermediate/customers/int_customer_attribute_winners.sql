-- The surviving value of each golden-record attribute per customer, chosen by the strategy the
-- survivorship_rules seed gives the attribute:
--   source_priority  first source in source_order with a value, then the most recent observation;
--   most_recent      the latest observation, then source_order;
--   most_frequent    the value observed most often, then its latest observation, then source_order.
-- Every tie ends on the value itself, so the choice is deterministic. Observations are first folded to
-- one row per customer, attribute, value and source (a person's email repeated on every order is one row).
-- Incremental: a run recomputes only the customers whose records changed (cdp.changed_customers), and
-- every customer when the survivorship rules changed (rules_version).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ cdp.forget_changed_customers(cdp.survivorship_rules_version()) }}",
) }}
{%- set rules_version = cdp.survivorship_rules_version() %}
{%- set changed_customers = cdp.changed_customers(rules_version) %}

with

candidates as (
    select * from {{ ref('int_customer_attribute_candidates') }}
    {{ cdp.changed_customers_filter(changed_customers) }}
),

rules as (
    select * from {{ ref('survivorship_rules') }}
),

value_sources as (
    select
        customer_id,
        attribute,
        attribute_value,
        source,
        count(*) as observations,
        max(observed_at) as last_observed_at,
        max_by(record_key, observed_at) as last_record_key
    from candidates
    group by customer_id, attribute, attribute_value, source
),

ranked_sources as (
    select
        value_sources.*,
        rules.strategy,
        -- Position of the source in the space-separated source_order; unlisted sources rank last.
        coalesce(
            nullif({{ dbt.position(
                dbt.concat(["' '", "value_sources.source", "' '"]),
                dbt.concat(["' '", "rules.source_order", "' '"]),
            ) }}, 0),
            10000
        ) as source_rank
    from value_sources
    inner join rules
        on value_sources.attribute = rules.attribute
),

value_stats as (
    select
        customer_id,
        attribute,
        attribute_value,
        sum(observations) as value_observations,
        max(last_observed_at) as value_last_observed_at
    from ranked_sources
    group by customer_id, attribute, attribute_value
),

attribute_stats as (
    select
        customer_id,
        attribute,
        count(*) as distinct_values
    from value_stats
    group by customer_id, attribute
),

scored as (
    select
        ranked_sources.*,
        value_stats.value_observations,
        value_stats.value_last_observed_at,
        attribute_stats.distinct_values
    from ranked_sources
    inner join value_stats
        on
            ranked_sources.customer_id = value_stats.customer_id
            and ranked_sources.attribute = value_stats.attribute
            and ranked_sources.attribute_value = value_stats.attribute_value
    inner join attribute_stats
        on
            ranked_sources.customer_id = attribute_stats.customer_id
            and ranked_sources.attribute = attribute_stats.attribute
),

ranked as (
    select
        *,
        row_number() over (
            partition by customer_id, attribute
            order by
                case when strategy = 'source_priority' then source_rank end asc nulls last,
                case when strategy = 'most_frequent' then value_observations end desc nulls last,
                case when strategy = 'most_frequent' then value_last_observed_at end desc nulls last,
                last_observed_at desc nulls last,
                source_rank asc,
                attribute_value asc,
                last_record_key asc
        ) as survivorship_rank
    from scored
),

final as (
    select
        customer_id,
        attribute,
        attribute_value,
        source as winning_source,
        last_record_key as winning_record_key,
        last_observed_at as winning_observed_at,
        strategy,
        distinct_values,
        '{{ rules_version }}' as rules_version,
        {{ cdp.run_timestamp() }} as refreshed_at
    from ranked
    where survivorship_rank = 1
)

select * from final
