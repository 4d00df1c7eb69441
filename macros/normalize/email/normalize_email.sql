{#- A valid email address, lower-cased and without whitespace, or NULL. Gmail dots and +tags are kept:
    folding them is an identity-matching rule (email_match_key), not a cleaning step. -#}
{% macro normalize_email(email) %}
    {{- return(adapter.dispatch('normalize_email', 'cdp')(email)) -}}
{% endmacro %}

{% macro default__normalize_email(email) -%}
    {%- set parts = cdp.email_parts(email) -%}
    case when {{ parts['reason'] }} is null then {{ parts['clean'] }} end
{%- endmacro %}
