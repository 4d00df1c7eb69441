{#- The columns of int_matching_records that probabilistic matching reads: those of the blocking rules
    (vars.matching_blocking_rules), then those of the comparisons (vars.matching_comparisons), each once. -#}
{% macro matching_columns() %}
    {%- set columns = [] -%}
    {%- for rule in var('matching_blocking_rules') -%}
        {%- for column in rule.columns if column not in columns -%}
            {%- do columns.append(column) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for comparison in var('matching_comparisons') if comparison.column not in columns -%}
        {%- do columns.append(comparison.column) -%}
    {%- endfor -%}
    {{- return(columns) -}}
{% endmacro %}
