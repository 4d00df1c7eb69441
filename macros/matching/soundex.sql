{#- American Soundex code of a name ("Robert" and "Rupert" are R163), upper case; NULL for NULL or a name
    without letters. Snowflake and Spark have soundex(); DuckDB gets the same algorithm in SQL: letters to
    digit classes (h and w dropped, so letters of one class either side of them code once; vowels kept as 0
    to separate them), runs of one digit collapsed, the first letter's own code dropped, zeros removed,
    padded to three digits. -#}
{% macro soundex(expr) %}
    {{- return(adapter.dispatch('soundex', 'cdp')(expr)) -}}
{% endmacro %}

{% macro default__soundex(expr) -%}
    soundex({{ expr }})
{%- endmacro %}

{% macro duckdb__soundex(expr) -%}
    {%- set letters = 'nullif(' ~ cdp.regexp_replace_all('lower(' ~ expr ~ ')', '[^a-z]', '') ~ ", '')" -%}
    {%- set codes = namespace(sql="translate(" ~ letters ~ ", 'aeiouybfpvcgjkqsxzdtlmnrhw', '000000111122222222334556')") -%}
    {%- for digit in range(1, 7) -%}
        {%- set codes.sql = cdp.regexp_replace_all(codes.sql, digit ~ '+', digit | string) -%}
    {%- endfor -%}
    {%- set tail -%}
        case when left({{ letters }}, 1) in ('h', 'w') then {{ codes.sql }} else substr({{ codes.sql }}, 2) end
    {%- endset -%}
    upper(left({{ letters }}, 1)) || rpad(left(replace({{ tail }}, '0', ''), 3), 3, '0')
{%- endmacro %}
