{#
    Key of an identity record. A profile row keeps its own id (`shop:customers:123`); an event stream has no
    person-level row, so its identity record is the combination of identifiers seen together, keyed by a
    hash of them (`web:events:<md5>`). Facts compute the same key to find the customer of an event.
#}
{% macro identity_record_key(source_name, entity, record_id=none, identifier_columns=[]) %}
    {%- if record_id -%}
        {{ dbt.concat(["'" ~ source_name ~ ":" ~ entity ~ ":'", record_id]) }}
    {%- else -%}
        {%- set parts = [] -%}
        {%- for column in identifier_columns -%}
            {%- do parts.append("coalesce(" ~ column ~ ", '')") -%}
            {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
        {%- endfor -%}
        {{ dbt.concat(["'" ~ source_name ~ ":" ~ entity ~ ":'", dbt.hash(dbt.concat(parts))]) }}
    {%- endif -%}
{% endmacro %}
