{#- Why normalize_name returns NULL for a value that is not NULL: blank, placeholder, invalid_format
    (digits, an @, or no letters at all) or invalid_length (over 100 characters). NULL for a valid or
    missing name. -#}
{% macro name_rejection_reason(name) %}
    {{- return(adapter.dispatch('name_rejection_reason', 'cdp')(name)) -}}
{% endmacro %}

{% macro default__name_rejection_reason(name) -%}
    {{ cdp.name_parts(name)['reason'] }}
{%- endmacro %}
