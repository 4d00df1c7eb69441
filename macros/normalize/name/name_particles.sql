{#- Words that belong to the surname that follows them ("van der Berg", "de la Cruz"), as they come
    out of normalize_name. split_full_name_last keeps them with the last word. -#}
{% macro name_particles() %}
    {{- return(['Van', 'Von', 'Der', 'Den', 'Ter', 'Ten', 'De', 'Del', 'Della', 'Di', 'Da', 'Du', 'Dos',
        'Das', 'La', 'Le', 'St', 'St.']) -}}
{% endmacro %}
