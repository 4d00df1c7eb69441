{#- Why normalize_email returns NULL for a value that is not NULL: blank, placeholder, invalid_format or
    invalid_length. NULL for a valid address and for a missing (NULL) one. -#}
{% macro email_rejection_reason(email) %}
    {{- return(adapter.dispatch('email_rejection_reason', 'cdp')(email)) -}}
{% endmacro %}

{% macro default__email_rejection_reason(email) -%}
    {{ cdp.email_parts(email)['reason'] }}
{%- endmacro %}
