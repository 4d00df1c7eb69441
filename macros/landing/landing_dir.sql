{#- The folder holding the landing Parquet files: $CDP_LANDING_DIR, else <$CDP_DATA_DIR or data>/<target>/landing.
    The sources YAML spells out the same expression (macros are not available there). -#}
{% macro landing_dir() %}
    {{- return(env_var('CDP_LANDING_DIR', env_var('CDP_DATA_DIR', 'data') ~ '/' ~ target.name ~ '/landing')) -}}
{% endmacro %}
