{#- The column type of a UTC time without a time zone attached: what every *_to_utc macro returns. -#}
{% macro utc_timestamp_type() %}
    {{- return(adapter.dispatch('utc_timestamp_type', 'cdp')()) -}}
{% endmacro %}

{% macro default__utc_timestamp_type() %}
    {{- return('timestamp') -}}
{% endmacro %}

{#- Snowflake's plain TIMESTAMP follows the account's TIMESTAMP_TYPE_MAPPING; Spark's is an instant shown
    in the session time zone. Name the wall-clock type explicitly. -#}
{% macro snowflake__utc_timestamp_type() %}
    {{- return('timestamp_ntz') -}}
{% endmacro %}

{% macro spark__utc_timestamp_type() %}
    {{- return('timestamp_ntz') -}}
{% endmacro %}
