{#- The last name in a full-name string, normalised: what precedes the comma of "Smith, Jane", else the
    last word of "Jane Ann Smith" together with the particles before it ("Jane van der Berg" gives
    "Van Der Berg"; see name_particles). NULL for a single word, or when the name is rejected. -#}
{% macro split_full_name_last(full_name) %}
    {{- return(adapter.dispatch('split_full_name_last', 'cdp')(full_name)) -}}
{% endmacro %}

{% macro default__split_full_name_last(full_name) -%}
    {%- set name = cdp.normalize_name(full_name) -%}
    {%- set particles = cdp.name_particles() | map('replace', '.', '\\.') | join('|') -%}
    case
        when {{ name }} like '%,%' then nullif(trim({{ cdp.regexp_extract(name, '^([^,]*),', 1) }}), '')
        else trim({{ cdp.regexp_extract(name, ' ((' ~ particles ~ ') )*[^ ]+$') }})
    end
{%- endmacro %}
