{#- SHA-256 of a string as 64 lower-case hex characters: the form ad platforms expect for hashed
    identifiers (normalise the email or phone first). -#}
{% macro sha256_hex(expr) %}
    {{- return(adapter.dispatch('sha256_hex', 'cdp')(expr)) -}}
{% endmacro %}

{% macro default__sha256_hex(expr) -%}
    sha2({{ expr }}, 256)
{%- endmacro %}

{% macro duckdb__sha256_hex(expr) -%}
    sha256({{ expr }})
{%- endmacro %}
