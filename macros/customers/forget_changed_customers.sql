{#- Pre-hook: delete the rows of the customers this run recomputes (all rows when it recomputes all). -#}
{% macro forget_changed_customers(rules_version=none) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set changed = cdp.changed_customers(rules_version) -%}
    {{ return(cdp.delete_rows(this, 'true' if changed is none else 'customer_id in (' ~ changed ~ ')')) }}
{% endmacro %}
