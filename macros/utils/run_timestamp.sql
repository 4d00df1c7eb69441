{#-
    When this dbt invocation started, as a timestamp literal (microseconds): one value for every model of a
    run, so a model can tell the rows this run wrote from older ones.
-#}
{% macro run_timestamp() %}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
