{#
    One row per (record, attribute) that a staging model observes for a person: the long form the golden
    record's survivorship rules choose from. `attributes` maps a golden-record attribute to the column
    holding it; values are cast to strings (dim_customers casts them back).
#}
{% macro attribute_observations(relation, source_name, entity, record_id, observed_at, attributes) %}
    {%- for attribute, column in attributes.items() %}
    select
        {{ cdp.identity_record_key(source_name, entity, record_id) }} as record_key,
        '{{ source_name }}' as source,
        '{{ attribute }}' as attribute,
        {{ dbt.cast(column, dbt.type_string()) }} as attribute_value,
        {{ observed_at }} as observed_at
    from {{ relation }}
    where {{ column }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}
