{#-
    A bigint id derived from a string key, the same on every run and every engine: the first 14 hex digits
    (56 bits) of the key's md5. Rows keep their id when others are added or removed (a row_number over all
    rows renumbers them), so a table of ids can be updated in place. 56 bits leave room for small tags
    (int_identity_layered_edges encodes id * 16 + level). Collisions are improbable (about 1 in 10^4 at
    3.5 million keys) and caught by a unique test on the id.
-#}
{% macro stable_id(key_expression) %}
    {{ return(adapter.dispatch('stable_id', 'cdp')(key_expression)) }}
{% endmacro %}

{% macro default__stable_id(key_expression) %}
    cast({{ dbt.concat(["'0x'", "left(" ~ dbt.hash(key_expression) ~ ", 14)"]) }} as {{ dbt.type_bigint() }})
{%- endmacro %}

{#- Digit by digit (Snowflake's to_number(..., 'XXXX') would do, but its emulation in tests lacks it). -#}
{% macro snowflake__stable_id(key_expression) %}
    {%- set digits = dbt.hash(key_expression) -%}
    cast(
    {%- for position in range(1, 15) %}
        (position(substr({{ digits }}, {{ position }}, 1), '0123456789abcdef') - 1) * {{ 16 ** (14 - position) }}
        {%- if not loop.last %} +{% endif %}
    {%- endfor %}
    as {{ dbt.type_bigint() }})
{%- endmacro %}

{% macro spark__stable_id(key_expression) %}
    cast(conv(left({{ dbt.hash(key_expression) }}, 14), 16, 10) as {{ dbt.type_bigint() }})
{%- endmacro %}
