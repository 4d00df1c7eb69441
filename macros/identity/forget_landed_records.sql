{#-
    Pre-hook: delete the rows of the records this run rebuilds, and of records that are gone; every row when
    an incremental run rebuilds everything (an empty table, one from before the loaded_at column). `also`, a
    condition on the model's rows, names more rows to rebuild (rows that depend on other records too).
-#}
{% macro forget_landed_records(records, also=none) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set since = cdp.landed_records_since() -%}
    {%- if since is none -%}
        {{ return(cdp.delete_rows(this, 'true')) }}
    {%- endif -%}
    {{ return(cdp.delete_rows(this,
        'record_key in (select record_key from ' ~ records ~ ' where loaded_at > ' ~ since ~ ')'
        ~ ' or record_key not in (select record_key from ' ~ records ~ ')'
        ~ (' or (' ~ also ~ ')' if also else '')
    )) }}
{% endmacro %}
