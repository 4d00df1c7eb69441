{#- A text naming the level and weight of every comparison of a scored pair, for people to read:
    "first_name exact (+7.3); last_name levenshtein_1 (+4.9); ...". `relation` holds the columns
    <comparison>_level and <comparison>_weight of int_matching_scored_pairs. -#}
{% macro matching_levels_summary(relation) %}
    {%- set parts = [] -%}
    {%- for comparison in var('matching_comparisons') -%}
        {%- set level = relation ~ '.' ~ comparison.comparison ~ '_level' -%}
        {%- set weight = relation ~ '.' ~ comparison.comparison ~ '_weight' -%}
        {%- do parts.append("'" ~ ('; ' if not loop.first else '') ~ comparison.comparison ~ " '") -%}
        {%- do parts.append(level) -%}
        {%- do parts.append("' ('") -%}
        {%- do parts.append("case when " ~ weight ~ " >= 0 then '+' else '' end") -%}
        {%- do parts.append(dbt.cast('round(' ~ weight ~ ', 1)', dbt.type_string())) -%}
        {%- do parts.append("')'") -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}
