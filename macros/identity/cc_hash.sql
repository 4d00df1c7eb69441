{#- A 64-bit hash of `expression` salted with `salt`: the random priority of a node in one round. -#}
{%- macro cc_hash(expression, salt) -%}
    {{ return(adapter.dispatch('cc_hash', 'cdp')(expression, salt)) }}
{%- endmacro -%}

{#- DuckDB and Snowflake both have a multi-argument hash(). -#}
{%- macro default__cc_hash(expression, salt) -%}
    hash({{ expression }}, {{ salt }})
{%- endmacro -%}

{%- macro spark__cc_hash(expression, salt) -%}
    xxhash64({{ expression }}, {{ salt }})
{%- endmacro -%}
