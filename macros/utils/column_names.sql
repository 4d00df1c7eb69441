{#- The lower-case column names of an existing relation (an empty list before it exists). -#}
{% macro column_names(relation) %}
    {{ return(adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list) }}
{% endmacro %}
