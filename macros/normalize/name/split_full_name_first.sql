{#- The first name in a full-name string, normalised: the first word of "Jane Ann Smith", the first
    word after the comma of "Smith, Jane Ann". NULL when the name is rejected or has no first part. -#}
{% macro split_full_name_first(full_name) %}
    {{- return(adapter.dispatch('split_full_name_first', 'cdp')(full_name)) -}}
{% endmacro %}

{% macro default__split_full_name_first(full_name) -%}
    {%- set name = cdp.normalize_name(full_name) -%}
    case
        when {{ name }} like '%,%' then {{ cdp.regexp_extract(name, ', *([^ ,]+)', 1) }}
        else {{ cdp.regexp_extract(name, '^([^ ,]+)', 1) }}
    end
{%- endmacro %}
