{#- An amount converted to the reporting currency with the fx_rates seed joined as `fx`. -#}
{% macro reporting_amount(amount) %}
    cast({{ amount }} * fx.rate_to_reporting_currency as decimal(18, 2))
{% endmacro %}
