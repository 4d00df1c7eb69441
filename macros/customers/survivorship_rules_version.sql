{#- The version of the survivorship rules in force (cdp.rules_version of the survivorship_rules seed). -#}
{% macro survivorship_rules_version() %}
    {{ return(cdp.rules_version(ref('survivorship_rules'), ['attribute', 'strategy', 'source_order'])) }}
{% endmacro %}
