{#- A person's name (first, last or full) trimmed, with whitespace collapsed and each word capitalised
    ("  mary-jane   O'NEIL " becomes "Mary-Jane O'Neil"), or NULL for blanks, placeholders and values
    with digits. Capitalisation is by rule, so "McDonald" comes out as "Mcdonald": good enough to match
    on and to greet with, not a record of how the person spells it. -#}
{% macro normalize_name(name) %}
    {{- return(adapter.dispatch('normalize_name', 'cdp')(name)) -}}
{% endmacro %}

{% macro default__normalize_name(name) -%}
    {%- set parts = cdp.name_parts(name) -%}
    case when {{ parts['reason'] }} is null then {{ cdp.initcap_words(parts['collapsed']) }} end
{%- endmacro %}
