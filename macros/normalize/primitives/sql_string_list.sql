{#- A parenthesised list of SQL string literals, for `expr in (...)` against reference vocabularies. -#}
{% macro sql_string_list(values) %}
    {%- set literals = [] -%}
    {%- for value in values -%}
        {%- do literals.append(cdp.sql_string(value)) -%}
    {%- endfor -%}
    {{- return('(' ~ literals | join(', ') ~ ')') -}}
{% endmacro %}
