{#- Cast that yields NULL instead of failing on a value that does not convert. -#}
{% macro safe_cast(expr, type) %}
    {{- return(adapter.dispatch('safe_cast', 'cdp')(expr, type)) -}}
{% endmacro %}

{% macro default__safe_cast(expr, type) -%}
    {{ dbt.safe_cast(expr, type) }}
{%- endmacro %}

{#- dbt-spark's safe_cast is a plain cast, which fails under Spark 4's ANSI mode. -#}
{% macro spark__safe_cast(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}
