{#-
    When this dbt invocation started, as a timestamp literal (microseconds): one value for every model of a
    run, so a model can tell the rows this run wrote from older ones, and two runs in one second differ.
-#}
{% macro run_timestamp() %}
    {{ return(cdp.timestamp_literal(run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f"))) }}
{% endmacro %}
