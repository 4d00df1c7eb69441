{#
    The select that turns one staging model into identity records with the canonical identifier columns
    (see int_identity_records). `identifiers` maps an identifier type to the column holding it; types the
    source does not carry become NULL. With `record_id`, each row is a record; without it (event streams),
    rows are grouped by their identifiers and each distinct combination is one record. `first_name` names
    the column holding the person's first name, where the source has one (it tells shared identifiers
    from a person's own; int_identity_records reduces each distinct name to its key once). `loaded_at` is
    when the newest staging row behind the record landed: a record whose rows change lands again (see
    int_customer_changes).
#}
{% macro identity_record_select(
    source_name, entity, relation, identifiers, record_id=none, first_seen_at='null', last_seen_at=none,
    first_name=none
) %}
    {%- set id_columns = identifiers.values() | list -%}
    select
        {{ cdp.identity_record_key(source_name, entity, record_id, id_columns) }} as record_key,
        '{{ source_name }}' as source,
        '{{ entity }}' as entity,
        {% if record_id -%}
        {{ record_id }} as source_record_id,
        {%- else -%}
        cast(null as {{ dbt.type_string() }}) as source_record_id,
        {%- endif %}
        {%- for id_type in cdp.identity_record_id_types() %}
        {% if id_type in identifiers -%}
        {{ identifiers[id_type] }}
        {%- else -%}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as {{ id_type }},
        {%- endfor %}
        {% if first_name -%}
        {{ first_name }}
        {%- else -%}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as first_name,
        {% if record_id -%}
        {{ first_seen_at }} as first_seen_at,
        coalesce({{ last_seen_at or first_seen_at }}, {{ first_seen_at }}) as last_seen_at,
        1 as source_rows,
        _loaded_at as loaded_at
        {%- else -%}
        min({{ first_seen_at }}) as first_seen_at,
        max({{ last_seen_at or first_seen_at }}) as last_seen_at,
        count(*) as source_rows,
        max(_loaded_at) as loaded_at
        {%- endif %}
    from {{ relation }}
    where
        {%- for column in id_columns %}
        {{ "or " if not loop.first }}{{ column }} is not null
        {%- endfor %}
    {%- if not record_id %}
    group by {{ id_columns | join(', ') }}
    {%- endif %}
{% endmacro %}

{# The identifier columns every identity record carries, in this order; one per row of identity_id_types. #}
{% macro identity_record_id_types() %}
    {{ return([
        'shop_customer_id', 'loyalty_card_id', 'esp_profile_id', 'crm_contact_id',
        'email', 'phone', 'anonymous_id', 'device_id'
    ]) }}
{% endmacro %}
