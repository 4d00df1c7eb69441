{#
    The body of a CTE normalising each DISTINCT raw value of `raw_column` in `relation` once: the raw value,
    its normalised form and the rejection reason. Staging models join it back on the raw value, so a
    country typed a million times as "usa" is normalised once, and a person's email repeated on each of
    their orders once. `kind` is email, phone, name, country or card; phones also take the SQL expression
    of the default country, which becomes part of the key (column `default_country`).
    The output columns are named `value_column` and `reason_column`.

    A phone is read in stages, one subquery each (phone_part_stages): its digits, body and calling code;
    then the readings built from them; then the candidate. Each piece is written once and read by name
    after, where the expression of normalize_phone alone repeats the digits 25 times and the calling code
    10: the SQL is half the size, which is what the engines' planners and the SQL linter work through.
#}
{% macro normalized_distinct(relation, raw_column, kind, value_column, reason_column, default_country=none) %}
    {%- set normalizers = {
        'email': (cdp.normalize_email, cdp.email_rejection_reason),
        'name': (cdp.normalize_name, cdp.name_rejection_reason),
        'country': (cdp.normalize_country, cdp.country_rejection_reason),
        'card': (cdp.normalize_card_number, cdp.card_number_rejection_reason),
    } -%}
    {%- set distinct_values -%}
        select distinct
            {{ raw_column }}
            {%- if kind == 'phone' %},
            {{ default_country }} as default_country
            {%- endif %}
        from {{ relation }}
        where {{ raw_column }} is not null
    {%- endset -%}
    {%- if kind == 'phone' -%}
        {%- set phone = namespace(relation='(\n' ~ distinct_values ~ '\n) as distinct_values', columns={}) -%}
        {%- for stage in cdp.phone_part_stages() -%}
            {#- The pieces of this stage, from the columns of the stages before; then they are columns too. -#}
            {%- set parts = cdp.phone_parts(raw_column, 'default_country', phone.columns) -%}
            {%- set selected = [] -%}
            {%- for part in stage -%}
                {%- do selected.append(parts[part] ~ ' as phone_' ~ part) -%}
                {%- do phone.columns.update({part: 'phone_' ~ part}) -%}
            {%- endfor -%}
            {%- set phone.relation -%}
                (
        select
            *,
            {{ selected | join(',\n            ') }}
        from {{ phone.relation }}
    ) as phone_stage_{{ loop.index }}
            {%- endset -%}
        {%- endfor %}
    select
        {{ raw_column }},
        default_country,
        {{ cdp.normalize_phone(raw_column, 'default_country', phone.columns) }} as {{ value_column }},
        {{ cdp.phone_rejection_reason(raw_column, 'default_country', phone.columns) }} as {{ reason_column }}
    from {{ phone.relation }}
    {%- else %}
    select
        {{ raw_column }},
        {{ normalizers[kind][0](raw_column) }} as {{ value_column }},
        {{ normalizers[kind][1](raw_column) }} as {{ reason_column }}
    from (
        {{ distinct_values }}
    ) as distinct_values
    {%- endif %}
{% endmacro %}
