-- Every candidate pair (int_matching_candidate_pairs) scored the Fellegi-Sunter way: per comparison of
-- vars.matching_comparisons the level the pair reaches, and its weight from int_matching_levels; the pair's
-- match weight is the prior's weight plus the sum of its levels' weights (log2 odds that the two records are
-- one person), its match probability 1 / (1 + 2^-weight).
{%- set comparisons = var('matching_comparisons') %}

with

pairs as (
    select * from {{ ref('int_matching_candidate_pairs') }}
),

records as (
    select * from {{ ref('int_matching_records') }}
),

equivalences as (
    select * from {{ ref('int_first_name_equivalences') }}
),

levels as (
    select * from {{ ref('int_matching_levels') }}
),

prior_level as (
    select match_weight from levels
    where comparison = 'prior'
),

compared as (
    select
        pairs.record_key_a,
        pairs.record_key_b,
        pairs.match_rule,
        record_a.rule_component_id as rule_component_id_a,
        record_b.rule_component_id as rule_component_id_b,
        record_a.anchor_node_id as anchor_node_id_a,
        record_b.anchor_node_id as anchor_node_id_b,
        {%- for comparison in comparisons %}
        {{ cdp.matching_comparison_level(
            comparison, 'record_a', 'record_b', nickname='equivalences.name_key_a is not null'
        ) | indent(8) }} as {{ comparison.comparison }}_level,
        {%- endfor %}
        greatest(record_a.first_seen_at, record_b.first_seen_at) as first_seen_at
    from pairs
    inner join records as record_a
        on pairs.record_key_a = record_a.record_key
    inner join records as record_b
        on pairs.record_key_b = record_b.record_key
    left join equivalences
        on
            record_a.first_name_key = equivalences.name_key_a
            and record_b.first_name_key = equivalences.name_key_b
),

weighed as (
    select
        compared.*,
        {%- for comparison in comparisons %}
        {{ comparison.comparison }}_levels.match_weight as {{ comparison.comparison }}_weight,
        {%- endfor %}
        prior_level.match_weight
        {%- for comparison in comparisons %}
        + {{ comparison.comparison }}_levels.match_weight
        {%- endfor %} as match_weight
    from compared
    cross join prior_level
    {%- for comparison in comparisons %}
    inner join levels as {{ comparison.comparison }}_levels
        on
            {{ comparison.comparison }}_levels.comparison = '{{ comparison.comparison }}'
            and compared.{{ comparison.comparison }}_level = {{ comparison.comparison }}_levels.comparison_level
    {%- endfor %}
),

final as (
    select
        weighed.*,
        {{ cdp.matching_levels_summary('weighed') }} as comparison_levels,
        1.0 / (1.0 + power(2.0, -weighed.match_weight)) as match_probability
    from weighed
)

select * from final
