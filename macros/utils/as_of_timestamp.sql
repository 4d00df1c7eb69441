{#
    The moment "now" means for recency rules (segments, days since last purchase): the var `as_of` (an ISO
    date or timestamp, for reproducible tests and backfills), else the environment variable CDP_AS_OF (the
    same, for a deployment or a test session that runs dbt through Dagster), else the current time, in UTC.
#}
{% macro as_of_timestamp() %}
    {%- set as_of = var('as_of', none) or env_var('CDP_AS_OF', '') -%}
    {%- if as_of -%}
        cast('{{ as_of }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        {{ cdp.utc_now() }}
    {%- endif -%}
{% endmacro %}
