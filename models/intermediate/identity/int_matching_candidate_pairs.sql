-- Candidate pairs for probabilistic matching: two records that agree on every column of at least one
-- blocking rule (vars.matching_blocking_rules), so only plausible pairs are compared and the work grows
-- with the data, not with its square. Records the identity rules already put in one component are not
-- paired, and records of one component with the same attributes are compared once (the smallest record key
-- stands for them). match_rule is the first rule, in configured order, that made the pair.
{%- set rules = var('matching_blocking_rules') %}
{%- set columns = cdp.matching_columns() %}

with

records as (
    select * from {{ ref('int_matching_records') }}
),

profiles as (
    select
        rule_component_id,
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        min(record_key) as record_key
    from records
    group by
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        rule_component_id
),

blocked as (
    {%- for rule in rules %}
    select
        profile_a.record_key as record_key_a,
        profile_b.record_key as record_key_b,
        '{{ rule.rule }}' as match_rule,
        {{ loop.index }} as rule_rank
    from profiles as profile_a
    inner join profiles as profile_b
        on
            {%- for column in rule.columns %}
            profile_a.{{ column }} = profile_b.{{ column }}
            and {% endfor -%}
            profile_a.record_key < profile_b.record_key
            and profile_a.rule_component_id != profile_b.rule_component_id
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

ranked as (
    select
        record_key_a,
        record_key_b,
        match_rule,
        row_number() over (partition by record_key_a, record_key_b order by rule_rank asc) as rule_order
    from blocked
),

final as (
    select
        record_key_a,
        record_key_b,
        match_rule
    from ranked
    where rule_order = 1
)

select * from final
