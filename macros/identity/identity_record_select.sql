{#-
    The select that turns one staging model, an entry of cdp.identity_record_sources, into identity records
    with the canonical identifier columns (see int_identity_records); identifier types the source does not
    carry become NULL, and a row with none of its identifiers is no record. With a `record_id`, each row is a
    record; without it (event streams), rows are grouped by their identifiers and each distinct combination is
    one record. `first_name` stays raw (int_identity_records reduces each distinct name to its key once).
    `loaded_at` is when the newest staging row behind the record landed: a record whose rows change lands again
    (see int_customer_changes).
    `since` (a timestamp literal, on an incremental run) keeps the records that landed after it: the rows of a
    profile or transaction source that landed since, and for an event stream every event sharing its
    combination of identifiers with one that landed since (the record counts them all).
-#}
{% macro identity_record_select(record_source, since=none) %}
    {%- set relation = ref(record_source.model) -%}
    {%- set identifiers = record_source.identifiers -%}
    {%- set id_columns = identifiers.values() | list -%}
    {%- set record_id = record_source.get('record_id') -%}
    {%- set first_seen_at = record_source.first_seen_at -%}
    {%- set last_seen_at = record_source.get('last_seen_at') -%}
    {%- set first_name = record_source.get('first_name') -%}
    select
        {{ cdp.identity_source_record_key(record_source) }} as record_key,
        '{{ record_source.source }}' as source,
        '{{ record_source.entity }}' as entity,
        {% if record_id -%}
        {{ record_id }} as source_record_id,
        {%- else -%}
        cast(null as {{ dbt.type_string() }}) as source_record_id,
        {%- endif %}
        {%- for id_type in cdp.identity_record_id_types() %}
        {% if id_type in identifiers -%}
        {{ identifiers[id_type] }}
        {%- else -%}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as {{ id_type }},
        {%- endfor %}
        {% if first_name -%}
        {{ first_name }}
        {%- else -%}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as first_name,
        {% if record_id -%}
        {{ first_seen_at }} as first_seen_at,
        coalesce({{ last_seen_at or first_seen_at }}, {{ first_seen_at }}) as last_seen_at,
        1 as source_rows,
        _loaded_at as loaded_at
        {%- else -%}
        min({{ first_seen_at }}) as first_seen_at,
        max({{ last_seen_at or first_seen_at }}) as last_seen_at,
        count(*) as source_rows,
        max(_loaded_at) as loaded_at
        {%- endif %}
    from {{ relation }}
    {%- if since is not none and not record_id %}
    inner join (
        select distinct
            {%- for column in id_columns %}
            coalesce({{ column }}, '') as landed_{{ column }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ relation }}
        where _loaded_at > {{ since }}
    ) as landed
        on
        {%- for column in id_columns %}
        {{ 'and ' if not loop.first }}coalesce({{ column }}, '') = landed.landed_{{ column }}
        {%- endfor %}
    {%- endif %}
    where
        (
            {%- for column in id_columns %}
            {{ "or " if not loop.first }}{{ column }} is not null
            {%- endfor %}
        )
        {%- if since is not none and record_id %}
        and _loaded_at > {{ since }}
        {%- endif %}
    {%- if not record_id %}
    group by {{ id_columns | join(', ') }}
    {%- endif %}
{% endmacro %}

{#- The identifier columns every identity record carries, in this order; one per row of identity_id_types. -#}
{% macro identity_record_id_types() %}
    {{ return([
        'shop_customer_id', 'loyalty_card_id', 'esp_profile_id', 'crm_contact_id',
        'email', 'phone', 'anonymous_id', 'device_id'
    ]) }}
{% endmacro %}

{#-
    Pre-hook of int_identity_records: deletes the records an incremental run rebuilds, those with a source
    row that landed since the model's newest loaded_at (a new version of a profile, an event of a known
    combination of identifiers), so that the append that follows replaces them; a profile whose new version
    carries no identifier is thus gone. Every row when the run rebuilds everything.
-#}
{% macro forget_landed_identity_records() %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set since = cdp.landed_records_since() -%}
    {%- if since is none -%}
        {{ return(cdp.delete_rows(this, 'true')) }}
    {%- endif -%}
    {%- set landed = [] -%}
    {%- for record_source in cdp.identity_record_sources() -%}
        {%- do landed.append(
            'select ' ~ cdp.identity_source_record_key(record_source) ~ ' as record_key from '
            ~ ref(record_source.model) ~ ' where _loaded_at > ' ~ since
        ) -%}
    {%- endfor -%}
    {{ return(cdp.delete_rows(this, 'record_key in (' ~ landed | join(' union all ') ~ ')')) }}
{% endmacro %}

{#- The record key of a row of one entry of cdp.identity_record_sources (cdp.identity_record_key). -#}
{% macro identity_source_record_key(record_source) %}
    {{- cdp.identity_record_key(
        record_source.source, record_source.entity, record_source.get('record_id'),
        record_source.identifiers.values() | list
    ) -}}
{% endmacro %}
