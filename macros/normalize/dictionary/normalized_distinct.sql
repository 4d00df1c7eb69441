{#
    The body of a CTE normalising each DISTINCT raw value of `raw_column` in `relation` once: the raw value,
    its normalised form and the rejection reason. Staging models join it back on the raw value, so a
    country typed a million times as "usa" is normalised once, and a person's email repeated on each of
    their orders once. `kind` is email, phone, name, country or card; phones also take the SQL expression
    of the default country, which becomes part of the key (column `default_country`).
    The output columns are named `value_column` and `reason_column`.
#}
{% macro normalized_distinct(relation, raw_column, kind, value_column, reason_column, default_country=none) %}
    {%- set normalizers = {
        'email': (cdp.normalize_email, cdp.email_rejection_reason),
        'name': (cdp.normalize_name, cdp.name_rejection_reason),
        'country': (cdp.normalize_country, cdp.country_rejection_reason),
        'card': (cdp.normalize_card_number, cdp.card_number_rejection_reason),
    } -%}
    select
        {{ raw_column }},
        {% if kind == 'phone' -%}
        default_country,
        {{ cdp.normalize_phone(raw_column, 'default_country') }} as {{ value_column }},
        {{ cdp.phone_rejection_reason(raw_column, 'default_country') }} as {{ reason_column }}
        {%- else -%}
        {{ normalizers[kind][0](raw_column) }} as {{ value_column }},
        {{ normalizers[kind][1](raw_column) }} as {{ reason_column }}
        {%- endif %}
    from (
        select distinct
            {{ raw_column }}
            {%- if kind == 'phone' %},
            {{ default_country }} as default_country
            {%- endif %}
        from {{ relation }}
        where {{ raw_column }} is not null
    ) as distinct_values
{% endmacro %}
