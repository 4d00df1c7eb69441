{#- A where clause keeping the records that landed since the model's newest (nothing on a full build). -#}
{% macro landed_records_filter(since) %}
    {%- if since is not none -%}
        where loaded_at > {{ since }}
    {%- endif -%}
{% endmacro %}
