{#-
    An amount with at most 2 decimals divided by a number, as decimal(18, 2) rounded half away from zero,
    the same on every engine: 535.93 / 2 = 267.97. Dividing the decimals themselves does not agree: DuckDB
    (and the Snowflake emulation on it) divides as doubles, where 267.965 is 267.96499999999997, while
    Snowflake and Spark divide exactly. Whole cents divided by the divisor are exact at a tie (k + 0.5 is a
    double), and round() is half away from zero on DuckDB, Snowflake and Spark alike.
-#}
{% macro money_ratio(amount, divisor) -%}
    cast(round(cast(round({{ amount }} * 100) as bigint) / {{ divisor }}) / 100 as decimal(18, 2))
{%- endmacro %}
