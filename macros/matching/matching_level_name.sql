{#- The name of a configured comparison level (vars.matching_comparisons): its kind, and its threshold if it
    has one ("exact", "jaro_winkler_0.92", "levenshtein_1"). The parameters seed keys m and u by this name. -#}
{% macro matching_level_name(level) %}
    {%- if level.threshold is defined and level.threshold is not none -%}
        {{- return(level.kind ~ '_' ~ level.threshold) -}}
    {%- else -%}
        {{- return(level.kind) -}}
    {%- endif -%}
{% endmacro %}
