{#-
    A timestamp constant in SQL from a Python datetime (or its string): the watermarks models read from
    their own tables, and the run's start (cdp.run_timestamp), all spelled one way.
-#}
{% macro timestamp_literal(value) %}
    {{ return("cast('" ~ value ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{% endmacro %}
