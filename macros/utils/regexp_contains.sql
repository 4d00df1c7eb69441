{#
    True when `expr` contains a match of `pattern_expr`, a SQL expression (a column of patterns, such as the
    identity blocklist), unlike the normalisers' primitives which take the pattern as a Jinja string.
#}
{% macro regexp_contains(expr, pattern_expr) %}
    {{ return(adapter.dispatch('regexp_contains', 'cdp')(expr, pattern_expr)) }}
{% endmacro %}

{% macro default__regexp_contains(expr, pattern_expr) %}
    regexp_instr({{ expr }}, {{ pattern_expr }}) > 0
{% endmacro %}

{% macro duckdb__regexp_contains(expr, pattern_expr) %}
    regexp_matches({{ expr }}, {{ pattern_expr }})
{% endmacro %}

{% macro spark__regexp_contains(expr, pattern_expr) %}
    ({{ expr }} rlike {{ pattern_expr }})
{% endmacro %}
