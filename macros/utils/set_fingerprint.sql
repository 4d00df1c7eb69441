{#-
    An aggregate: a fingerprint of a group's rows that does not depend on their order, so equal sets of
    rows give equal fingerprints. `expressions` are the columns of a row; rows must be distinct within a
    group. Used to tell whether what is behind a record changed between two runs on one engine: the
    values differ between engines and are never compared across them. DuckDB and Spark xor 64-bit hashes
    of the rows (one pass, no sort); elsewhere an md5 of the sorted rows.
-#}
{% macro set_fingerprint(expressions) %}
    {{ return(adapter.dispatch('set_fingerprint', 'cdp')(expressions)) }}
{% endmacro %}

{% macro default__set_fingerprint(expressions) %}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(" ~ dbt.cast(expression, dbt.type_string()) ~ ", '~')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {%- set row = dbt.concat(parts) -%}
    {{ dbt.hash(dbt.listagg(row, "';'", "order by " ~ row)) }}
{%- endmacro %}

{% macro duckdb__set_fingerprint(expressions) %}
    cast(bit_xor(hash({{ expressions | join(', ') }})) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro spark__set_fingerprint(expressions) %}
    cast(bit_xor(xxhash64({{ expressions | join(', ') }})) as {{ dbt.type_string() }})
{%- endmacro %}
