{#- A CASE expression naming the level two records reach in one configured comparison (an entry of
    vars.matching_comparisons): 'null' when either value is missing (no evidence either way), else the first
    level whose condition holds, in the configured order, else 'else'. `left` and `right` are the two
    records' relation aliases. -#}
{% macro matching_comparison_level(comparison, left, right, nickname='false') %}
    {%- set a = left ~ '.' ~ comparison.column -%}
    {%- set b = right ~ '.' ~ comparison.column -%}
    case
        when {{ a }} is null or {{ b }} is null then 'null'
        {%- for level in comparison.levels %}
        when {{ cdp.matching_level_condition(level, a, b, nickname) }} then '{{ cdp.matching_level_name(level) }}'
        {%- endfor %}
        else 'else'
    end
{%- endmacro %}
