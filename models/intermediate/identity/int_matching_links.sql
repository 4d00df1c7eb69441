-- Decisions on probabilistic links, one row per pair of rule components (customers as the identity rules
-- alone would have them) whose best pair of records scored at least matching_review_threshold, or that a
-- person decided on in the matching_decisions seed. In order:
--   never_link  a person said never (matching_decisions): no link, whatever the score;
--   link        a person said link; or the pair scored at least matching_link_threshold and none of the
--               reasons below holds it back;
--   conflict    both components already hold an account of one system (two shop accounts, two loyalty
--               cards, ...): two people the rules kept apart, such as name twins; shown, never linked;
--   ambiguous   one side has another candidate within matching_ambiguity_margin bits that conflicts with
--               this one (a record that fits two namesakes equally well): shown, not linked;
--   review      the score is between the review and the link thresholds, or both components are already
--               known to more systems than matching_fragment_max_sources (customers that each hold profiles
--               in several systems and yet share no identifier are more likely two people): a person should
--               look.
-- Linked pairs become edges between the anchors of their two records (int_identity_edges), weaker than every
-- rule, so the per-customer limits still cut them first (int_identity_cut_links).
{%- set link_threshold = var('matching_link_threshold') %}
{%- set review_threshold = var('matching_review_threshold') %}
{%- set edge_priority = var('matching_edge_priority', none) %}
{%- set fragment_max_sources = var('matching_fragment_max_sources', none) %}

with

scored_pairs as (
    select * from {{ ref('int_matching_scored_pairs') }}
),

records as (
    select * from {{ ref('int_matching_records') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

rules as (
    select * from {{ ref('int_identity_rules') }}
),

rule_components as (
    select * from {{ ref('int_matching_rule_components') }}
),

decisions as (
    select * from {{ ref('matching_decisions') }}
),

link_priority as (
    {%- if edge_priority is none %}
    select max(priority) + 1 as edge_priority from rules
    {%- else %}
    select {{ edge_priority }} as edge_priority
    {%- endif %}
),

-- The best pair of records of each pair of components.
ranked_pairs as (
    select
        least(rule_component_id_a, rule_component_id_b) as rule_component_id_a,
        greatest(rule_component_id_a, rule_component_id_b) as rule_component_id_b,
        record_key_a,
        record_key_b,
        match_rule,
        match_weight,
        match_probability,
        row_number() over (
            partition by
                least(rule_component_id_a, rule_component_id_b),
                greatest(rule_component_id_a, rule_component_id_b)
            order by match_weight desc, record_key_a asc, record_key_b asc
        ) as pair_rank
    from scored_pairs
    where match_weight >= {{ review_threshold }}
),

best_pairs as (
    select * from ranked_pairs
    where pair_rank = 1
),

-- How many systems hold a profile of each component.
component_sources as (
    select
        rule_component_id,
        count(distinct source) as sources
    from records
    group by rule_component_id
),

-- The account systems (identity_id_types.is_account) each component already holds.
component_accounts as (
    select distinct
        coalesce(rule_components.component_id, nodes.node_id) as rule_component_id,
        nodes.id_type
    from nodes
    inner join rules
        on
            nodes.id_type = rules.id_type
            and rules.is_account
    left join rule_components
        on nodes.node_id = rule_components.node_id
    where nodes.is_linkable
),

conflicts as (
    select
        best_pairs.rule_component_id_a,
        best_pairs.rule_component_id_b,
        min(accounts_a.id_type) as conflicting_id_type
    from best_pairs
    inner join component_accounts as accounts_a
        on best_pairs.rule_component_id_a = accounts_a.rule_component_id
    inner join component_accounts as accounts_b
        on
            best_pairs.rule_component_id_b = accounts_b.rule_component_id
            and accounts_a.id_type = accounts_b.id_type
    group by best_pairs.rule_component_id_a, best_pairs.rule_component_id_b
),

directed_pairs as (
    select
        rule_component_id_a as from_component_id,
        rule_component_id_b as to_component_id,
        match_weight
    from best_pairs
    union all
    select
        rule_component_id_b as from_component_id,
        rule_component_id_a as to_component_id,
        match_weight
    from best_pairs
),

-- A pair is ambiguous when one side has another candidate, nearly as good, that conflicts with the other side.
ambiguous as (
    select distinct
        least(candidate.from_component_id, candidate.to_component_id) as rule_component_id_a,
        greatest(candidate.from_component_id, candidate.to_component_id) as rule_component_id_b
    from directed_pairs as candidate
    inner join directed_pairs as alternative
        on
            candidate.from_component_id = alternative.from_component_id
            and candidate.to_component_id != alternative.to_component_id
            and alternative.match_weight >= candidate.match_weight - {{ var('matching_ambiguity_margin') }}
    inner join component_accounts as candidate_accounts
        on candidate.to_component_id = candidate_accounts.rule_component_id
    inner join component_accounts as alternative_accounts
        on
            alternative.to_component_id = alternative_accounts.rule_component_id
            and candidate_accounts.id_type = alternative_accounts.id_type
    where candidate.match_weight >= {{ link_threshold }}
),

manual_pairs as (
    select
        least(record_a.rule_component_id, record_b.rule_component_id) as rule_component_id_a,
        greatest(record_a.rule_component_id, record_b.rule_component_id) as rule_component_id_b,
        least(decisions.record_key_a, decisions.record_key_b) as record_key_a,
        greatest(decisions.record_key_a, decisions.record_key_b) as record_key_b,
        decisions.decision,
        decisions.note,
        row_number() over (
            partition by
                least(record_a.rule_component_id, record_b.rule_component_id),
                greatest(record_a.rule_component_id, record_b.rule_component_id)
            -- "never" wins over "link" for one pair of customers: the safe side
            order by case when decisions.decision = 'never' then 0 else 1 end asc, decisions.decided_at desc
        ) as decision_rank
    from decisions
    inner join records as record_a
        on decisions.record_key_a = record_a.record_key
    inner join records as record_b
        on decisions.record_key_b = record_b.record_key
    where record_a.rule_component_id != record_b.rule_component_id
),

manual_decisions as (
    select * from manual_pairs
    where decision_rank = 1
),

decided as (
    select
        coalesce(best_pairs.rule_component_id_a, manual_decisions.rule_component_id_a) as rule_component_id_a,
        coalesce(best_pairs.rule_component_id_b, manual_decisions.rule_component_id_b) as rule_component_id_b,
        coalesce(manual_decisions.record_key_a, best_pairs.record_key_a) as record_key_a,
        coalesce(manual_decisions.record_key_b, best_pairs.record_key_b) as record_key_b,
        coalesce(best_pairs.match_rule, 'manual') as match_rule,
        best_pairs.match_weight,
        best_pairs.match_probability,
        conflicts.conflicting_id_type,
        case
            when manual_decisions.decision = 'never' then 'never_link'
            when manual_decisions.decision = 'link' then 'link'
            when best_pairs.match_weight >= {{ link_threshold }} and conflicts.conflicting_id_type is not null
                then 'conflict'
            when best_pairs.match_weight >= {{ link_threshold }} and ambiguous.rule_component_id_a is not null
                then 'ambiguous'
            {%- if fragment_max_sources is not none %}
            when least(sources_a.sources, sources_b.sources) > {{ fragment_max_sources }} then 'review'
            {%- endif %}
            when best_pairs.match_weight >= {{ link_threshold }} then 'link'
            else 'review'
        end as decision,
        case
            when manual_decisions.decision is not null
                then {{ dbt.concat(["'decided by a person: '", "coalesce(manual_decisions.note, 'no note')"]) }}
            when best_pairs.match_weight >= {{ link_threshold }} and conflicts.conflicting_id_type is not null
                then {{ dbt.concat(["'both customers already hold a '", "conflicts.conflicting_id_type"]) }}
            when best_pairs.match_weight >= {{ link_threshold }} and ambiguous.rule_component_id_a is not null
                then 'a conflicting customer matches nearly as well'
            {%- if fragment_max_sources is not none %}
            when least(sources_a.sources, sources_b.sources) > {{ fragment_max_sources }}
                then 'both customers are known to more than {{ fragment_max_sources }} systems, yet share no identifier'
            {%- endif %}
            when best_pairs.match_weight >= {{ link_threshold }}
                then 'match weight at or above {{ link_threshold }}'
            else 'match weight between {{ review_threshold }} and {{ link_threshold }}'
        end as decision_reason,
        manual_decisions.decision is not null as is_manual
    from best_pairs
    full outer join manual_decisions
        on
            best_pairs.rule_component_id_a = manual_decisions.rule_component_id_a
            and best_pairs.rule_component_id_b = manual_decisions.rule_component_id_b
    left join conflicts
        on
            best_pairs.rule_component_id_a = conflicts.rule_component_id_a
            and best_pairs.rule_component_id_b = conflicts.rule_component_id_b
    left join ambiguous
        on
            best_pairs.rule_component_id_a = ambiguous.rule_component_id_a
            and best_pairs.rule_component_id_b = ambiguous.rule_component_id_b
    left join component_sources as sources_a
        on best_pairs.rule_component_id_a = sources_a.rule_component_id
    left join component_sources as sources_b
        on best_pairs.rule_component_id_b = sources_b.rule_component_id
),

final as (
    select
        decided.rule_component_id_a,
        decided.rule_component_id_b,
        decided.record_key_a,
        decided.record_key_b,
        record_a.anchor_node_id as anchor_node_id_a,
        record_b.anchor_node_id as anchor_node_id_b,
        decided.decision,
        decided.decision_reason,
        decided.match_rule,
        decided.conflicting_id_type,
        case when decided.is_manual then 'manual' else 'probabilistic' end as link_kind,
        link_priority.edge_priority,
        decided.match_weight,
        decided.match_probability,
        decided.decision = 'link' as is_linked,
        decided.is_manual,
        greatest(record_a.first_seen_at, record_b.first_seen_at) as first_seen_at
    from decided
    cross join link_priority
    inner join records as record_a
        on decided.record_key_a = record_a.record_key
    inner join records as record_b
        on decided.record_key_b = record_b.record_key
)

select * from final
