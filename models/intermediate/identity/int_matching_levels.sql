-- The probabilistic matching model in force: every comparison level of vars.matching_comparisons, in the
-- order it is tried, with its m probability (share of true matches at that level), u probability (share of
-- non-matches) and match weight log2(m / u), from the chosen version of seeds/matching_parameters.csv
-- (`make train-matching` estimates them; they may also be set by hand). A missing value (level null) weighs
-- 0. The prior row holds the probability that two random records match: its weight log2(p / (1 - p)) starts
-- every pair's match weight.
{%- set comparisons = var('matching_comparisons') %}
{%- set version = var('matching_parameters_version', none) %}

with

parameters as (
    select * from {{ ref('matching_parameters') }}
),

configured_levels as (
    select
        'prior' as comparison,
        'probability_two_random_records_match' as comparison_level,
        0 as level_rank,
        'any two records' as level_condition
    {%- for comparison in comparisons %}
    union all
    select
        '{{ comparison.comparison }}' as comparison,
        'null' as comparison_level,
        0 as level_rank,
        '{{ comparison.column }} missing on either side' as level_condition
    {%- for level in comparison.levels %}
    {%- set threshold = ' ' ~ level.threshold if level.threshold is defined else '' %}
    union all
    select
        '{{ comparison.comparison }}' as comparison,
        '{{ cdp.matching_level_name(level) }}' as comparison_level,
        {{ loop.index }} as level_rank,
        '{{ comparison.column }} {{ level.kind }}{{ threshold }}' as level_condition
    {%- endfor %}
    union all
    select
        '{{ comparison.comparison }}' as comparison,
        'else' as comparison_level,
        {{ comparison.levels | length + 1 }} as level_rank,
        '{{ comparison.column }} differs' as level_condition
    {%- endfor %}
),

chosen_version as (
    {%- if version is none %}
    select max(version) as parameters_version from parameters
    {%- else %}
    select {{ version }} as parameters_version
    {%- endif %}
),

chosen_parameters as (
    select parameters.*
    from parameters
    inner join chosen_version
        on parameters.version = chosen_version.parameters_version
),

final as (
    select
        configured_levels.comparison,
        configured_levels.comparison_level,
        configured_levels.level_rank,
        configured_levels.level_condition,
        chosen_parameters.m_probability,
        chosen_parameters.u_probability,
        case
            when configured_levels.comparison_level = 'null' then 0.0
            else ln(chosen_parameters.m_probability / chosen_parameters.u_probability) / ln(2.0)
        end as match_weight,
        chosen_version.parameters_version,
        chosen_parameters.trained_at
    from configured_levels
    cross join chosen_version
    left join chosen_parameters
        on
            configured_levels.comparison = chosen_parameters.comparison
            and configured_levels.comparison_level = chosen_parameters.comparison_level
)

select * from final
