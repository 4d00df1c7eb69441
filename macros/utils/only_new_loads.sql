{#
    In an incremental run, keeps only the rows landed after the newest row the model already holds: every
    batch a loader lands shares one _loaded_at, so this reads exactly the batches not yet processed.
    Outside incremental runs (first build, --full-refresh) it keeps everything.
#}
{% macro only_new_loads(loaded_at='_loaded_at') %}
    {%- if is_incremental() -%}
        where {{ loaded_at }} > (select max({{ loaded_at }}) from {{ this }})
    {%- endif -%}
{% endmacro %}
