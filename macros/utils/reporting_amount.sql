{#- An amount converted to the reporting currency: by default with the fx_rates seed joined as `fx`. -#}
{% macro reporting_amount(amount, rate='fx.rate_to_reporting_currency') %}
    cast({{ amount }} * {{ rate }} as decimal(18, 2))
{% endmacro %}
