{#- The ISO 3166-1 alpha-2 code (upper case) for a country written as an alpha-2 or alpha-3 code, an
    English name, or a local name or alias listed in country_reference; NULL otherwise. -#}
{% macro normalize_country(country) %}
    {{- return(adapter.dispatch('normalize_country', 'cdp')(country)) -}}
{% endmacro %}

{% macro default__normalize_country(country) -%}
    {%- set parts = cdp.country_parts(country) -%}
    case when not ({{ parts['is_placeholder'] }}) then {{ parts['code'] }} end
{%- endmacro %}
