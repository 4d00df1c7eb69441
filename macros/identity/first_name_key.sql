{#- A first name reduced for comparison: lower case, accents folded, letters only ("José-Luis" -> "joseluis"). -#}
{% macro first_name_key(expr) %}
    nullif({{ cdp.regexp_replace_all(cdp.fold_accents("lower(" ~ expr ~ ")"), '[^a-z]', '') }}, '')
{% endmacro %}
