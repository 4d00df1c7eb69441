{#- Levenshtein distance between two strings (Snowflake calls it editdistance). -#}
{% macro edit_distance(a, b) %}
    {{ return(adapter.dispatch('edit_distance', 'cdp')(a, b)) }}
{% endmacro %}

{% macro default__edit_distance(a, b) %}
    levenshtein({{ a }}, {{ b }})
{% endmacro %}

{% macro snowflake__edit_distance(a, b) %}
    editdistance({{ a }}, {{ b }})
{% endmacro %}
