{#
    The moment "now" means for recency rules (segments, days since last purchase): the var `as_of`
    (an ISO date or timestamp, for reproducible tests and backfills) or else the current time, in UTC.
#}
{% macro as_of_timestamp() %}
    {%- if var('as_of', none) -%}
        cast('{{ var("as_of") }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        {{ cdp.utc_now() }}
    {%- endif -%}
{% endmacro %}
