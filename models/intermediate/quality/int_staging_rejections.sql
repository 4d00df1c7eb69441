-- Counts the values staging rejected (NULLed with a reason), per source, staging model, column and reason.
-- Adding a normalised column to a staging model means adding it here, next to its siblings.
{%- set rejection_columns = {
    'stg_shop__customers': ['email', 'phone', 'first_name', 'last_name', 'country'],
    'stg_shop__orders': ['email', 'phone', 'billing_country'],
    'stg_shop__checkouts': ['email', 'phone'],
    'stg_crm__contacts': ['email', 'phone', 'first_name', 'last_name', 'country'],
    'stg_web__events': ['email'],
    'stg_pos__transactions': ['loyalty_card', 'phone'],
    'stg_loyalty__members': ['loyalty_card', 'email', 'phone', 'first_name', 'last_name', 'country'],
    'stg_support__tickets': ['email', 'phone', 'first_name', 'last_name'],
    'stg_esp__profiles': ['email', 'phone', 'first_name', 'last_name', 'country'],
    'stg_esp__subscriptions': ['email', 'phone'],
} %}

with

{% for model_name, columns in rejection_columns.items() %}
{{ model_name }} as (
    select * from {{ ref(model_name) }}
),

{{ model_name }}_rejections as (
    {%- for column_name in columns %}
    select
        source,
        '{{ model_name }}' as staging_model,
        '{{ column_name }}' as column_name,
        {{ column_name }}_rejection_reason as rejection_reason
    from {{ model_name }}
    where {{ column_name }}_rejection_reason is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

{{ model_name }}_rows as (
    select
        '{{ model_name }}' as staging_model,
        count(*) as model_rows
    from {{ model_name }}
),

{% endfor %}
rejections as (
    {%- for model_name in rejection_columns %}
    select * from {{ model_name }}_rejections
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

model_rows as (
    {%- for model_name in rejection_columns %}
    select * from {{ model_name }}_rows
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

counted as (
    select
        source,
        staging_model,
        column_name,
        rejection_reason,
        count(*) as rejected_values
    from rejections
    group by source, staging_model, column_name, rejection_reason
),

final as (
    select
        {{ dbt.concat(["counted.staging_model", "':'", "counted.column_name", "':'", "counted.rejection_reason"]) }}
            as rejection_key,
        counted.source,
        counted.staging_model,
        counted.column_name,
        counted.rejection_reason,
        counted.rejected_values,
        model_rows.model_rows,
        cast(counted.rejected_values as double) / model_rows.model_rows as rejection_rate
    from counted
    inner join model_rows
        on counted.staging_model = model_rows.staging_model
)

select * from final
