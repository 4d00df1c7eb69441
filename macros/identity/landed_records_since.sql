{#-
    Per-record identity models (one or more rows per identity record, each a function of that record alone,
    like int_identity_identifiers) are incremental on the record's `loaded_at` (when its newest source row
    landed; a record whose rows change lands again):
      * landed_records_since() is the newest loaded_at the model holds, as a SQL literal, or none when the
        model is built in full (first build, --full-refresh, an empty table or one without the column);
      * the model reads only the records that landed after it (cdp.landed_records_filter);
      * its pre-hook, cdp.forget_landed_records(records), deletes the rows of those records and of records
        that no longer exist (a profile that lost every identifier), so the append that follows replaces them.
    A run that fails leaves the newest loaded_at behind, so the next run picks the records up again.
-#}
{% macro landed_records_since() %}
    {%- if not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if 'loaded_at' not in cdp.column_names(this) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set newest = run_query('select max(loaded_at) from ' ~ this).columns[0].values()[0] -%}
    {%- if newest is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(cdp.timestamp_literal(newest)) }}
{% endmacro %}
