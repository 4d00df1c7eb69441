{#-
    dbt's dateadd on Spark (overrides dbt-spark's spark__dateadd). dbt-spark's goes through unix seconds
    and to_timestamp: it drops fractions of a second and, with `timestamp` meaning TIMESTAMP_NTZ
    (profiles.yml), gives null, so every `x >= dateadd(..., as_of)` was false. timestampadd keeps the type
    of its argument (TIMESTAMP_NTZ stays NTZ) and the fraction, as DuckDB and Snowflake do.
-#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) %}
    timestampadd({{ datepart }}, cast({{ interval }} as bigint), {{ from_date_or_timestamp }})
{% endmacro %}
