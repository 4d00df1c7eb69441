{#- Why normalize_country returns NULL for a value that is not NULL: blank, placeholder or
    unknown_country. NULL for a recognised or missing country. -#}
{% macro country_rejection_reason(country) %}
    {{- return(adapter.dispatch('country_rejection_reason', 'cdp')(country)) -}}
{% endmacro %}

{% macro default__country_rejection_reason(country) -%}
    {%- set parts = cdp.country_parts(country) -%}
    case
        when {{ country }} is null then null
        when {{ cdp.regexp_full_match(country, '\\s*') }} then 'blank'
        when {{ parts['is_placeholder'] }} then 'placeholder'
        when {{ parts['code'] }} is null then 'unknown_country'
    end
{%- endmacro %}
