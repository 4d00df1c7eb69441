{#- Why normalize_phone returns NULL for a value that is not NULL, first match wins:
    blank, placeholder, invalid_format (letters or stray symbols, no digits, or digits that break the
    country's leading-digit rules), repeated_digits (one digit throughout), unknown_country (no calling
    code and no usable default country), invalid_country_code (international form with an unassigned
    code), invalid_length (wrong number of digits for the country). NULL for a valid or missing number. -#}
{% macro phone_rejection_reason(phone, default_country, columns={}) %}
    {{- return(adapter.dispatch('phone_rejection_reason', 'cdp')(phone, default_country, columns)) -}}
{% endmacro %}

{#- The candidate is long SQL, so it is written once and judged by a chain of whole-string rewrites,
    each turning the candidates its pattern matches into a verdict that no later pattern matches. -#}
{% macro default__phone_rejection_reason(phone, default_country, columns={}) -%}
    {%- set parts = cdp.phone_parts(phone, default_country, columns) -%}
    {%- set verdict = namespace(sql='coalesce(' ~ parts['candidate'] ~ ", 'unknown_country')") -%}
    {%- for pattern, verdict_text in [
        (parts['repeated_digits'], 'repeated_digits'),
        (parts['valid'], 'valid'),
        (parts['plausible_length'], 'invalid_format'),
        (parts['known_calling_code'], 'invalid_length'),
        ('\\+[0-9]*', 'invalid_country_code')
    ] -%}
        {%- set verdict.sql = cdp.regexp_replace_all(verdict.sql, '^(' ~ pattern ~ ')$', verdict_text) -%}
    {%- endfor -%}
    case
        when {{ phone }} is null then null
        when {{ cdp.regexp_full_match(phone, '\\s*') }} then 'blank'
        when lower(trim({{ phone }})) in {{ cdp.sql_string_list(cdp.placeholder_values()['any']) }} then 'placeholder'
        when not {{ cdp.regexp_full_match(parts['body'], '\\+?[0-9 ()./-]*') }} or {{ parts['digits'] }} = ''
            then 'invalid_format'
        when length({{ parts['digits'] }}) >= 6
            and {{ cdp.regexp_full_match(parts['digits'], '0+|1+|2+|3+|4+|5+|6+|7+|8+|9+') }}
            then 'repeated_digits'
        else nullif({{ verdict.sql }}, 'valid')
    end
{%- endmacro %}
