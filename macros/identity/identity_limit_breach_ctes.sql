{#
    CTEs naming the components of `membership` (a CTE with node_id and `component_column`) that break the
    per-customer limits: more distinct values of an identifier type than identity_id_types.max_per_customer
    allows, or accounts (identity_id_types.is_account) whose first names cannot be one person's, such as two shop
    accounts of Bill and Kenneth joined through a chain of emails and phones. Names on one account never
    conflict with each other (a gift order's billing name). The calling model provides CTEs `nodes`,
    `id_types`, `identifier_names` and `equivalences`; the last CTE is `<prefix>_breaches` with
    (component_id, limit_broken).
#}
{% macro identity_limit_breach_ctes(prefix, membership, component_column) %}
{{ prefix }}_values_per_type as (
    select
        {{ membership }}.{{ component_column }} as component_id,
        nodes.id_type,
        count(*) as distinct_values
    from {{ membership }}
    inner join nodes
        on {{ membership }}.node_id = nodes.node_id
    group by {{ membership }}.{{ component_column }}, nodes.id_type
),

{{ prefix }}_count_breaches as (
    select
        {{ prefix }}_values_per_type.component_id,
        {{ dbt.concat([
            dbt.cast(prefix ~ "_values_per_type.distinct_values", dbt.type_string()),
            "' '",
            prefix ~ "_values_per_type.id_type",
            "' values (max '",
            dbt.cast("id_types.max_per_customer", dbt.type_string()),
            "')'",
        ]) }} as limit_broken
    from {{ prefix }}_values_per_type
    inner join id_types
        on {{ prefix }}_values_per_type.id_type = id_types.id_type
    where {{ prefix }}_values_per_type.distinct_values > id_types.max_per_customer
),

{{ prefix }}_account_names as (
    select distinct
        {{ membership }}.{{ component_column }} as component_id,
        {{ membership }}.node_id,
        identifier_names.name_key
    from {{ membership }}
    inner join nodes
        on {{ membership }}.node_id = nodes.node_id
    inner join id_types
        on
            nodes.id_type = id_types.id_type
            and id_types.is_account
    inner join identifier_names
        on
            nodes.id_type = identifier_names.id_type
            and nodes.id_value = identifier_names.id_value
),

{{ prefix }}_name_breaches as (
    select
        name_a.component_id,
        min({{ dbt.concat(["'accounts named '", "name_a.name_key", "' and '", "name_b.name_key"]) }}) as limit_broken
    from {{ prefix }}_account_names as name_a
    inner join {{ prefix }}_account_names as name_b
        on
            name_a.component_id = name_b.component_id
            and name_a.node_id != name_b.node_id
            and name_a.name_key < name_b.name_key
    left join equivalences
        on
            name_a.name_key = equivalences.name_key_a
            and name_b.name_key = equivalences.name_key_b
    where not {{ cdp.first_names_compatible(
        'name_a.name_key', 'name_b.name_key', 'equivalences.name_key_a is not null'
    ) }}
    group by name_a.component_id
),

{{ prefix }}_breaches as (
    select * from {{ prefix }}_count_breaches
    union all
    select * from {{ prefix }}_name_breaches
)
{% endmacro %}
