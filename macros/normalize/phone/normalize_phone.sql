{#- A phone number in E.164 (+<calling code><national significant number>) or NULL.
    `default_country` is a SQL expression giving the ISO alpha-2 country that numbers written without
    a calling code belong to (a column, or a literal such as 'US'); NULL means only international
    numbers can be read. Extensions are dropped. See phone_parts for how a number is read. -#}
{% macro normalize_phone(phone, default_country, columns={}) %}
    {{- return(adapter.dispatch('normalize_phone', 'cdp')(phone, default_country, columns)) -}}
{% endmacro %}

{#- The candidate is long SQL, so it is written once: a repeated-digit number is blanked, then the
    candidate is kept only if the whole of it is valid. -#}
{% macro default__normalize_phone(phone, default_country, columns={}) -%}
    {%- set parts = cdp.phone_parts(phone, default_country, columns) -%}
    {{ cdp.regexp_extract(
        cdp.regexp_replace_all(parts['candidate'], '^(' ~ parts['repeated_digits'] ~ ')$', ''),
        '^' ~ parts['valid'] ~ '$'
    ) }}
{%- endmacro %}
