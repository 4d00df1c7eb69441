{#- Drop a trunk prefix written after the calling code of an E.164-shaped string: +44 (0)20 ... and
    national 020 ... both become +4420..., and NANP's 1-555-... becomes +1555...
    No national significant number in these plans starts with its country's trunk prefix, so the
    digit can go whenever enough digits follow it for a number of that country; +1 123 456 7890 keeps
    its 1 and is then judged as the invalid area code it is. -#}
{% macro phone_strip_trunk_prefix(e164) %}
    {%- set codes_by_rule = {} -%}
    {%- for plan in cdp.phone_numbering_plans()['countries'] if plan['trunk_prefix'] -%}
        {%- set rule = plan['trunk_prefix'] ~ '([0-9]{' ~ plan['nsn_lengths'] | min ~ ',})' -%}
        {%- if plan['calling_code'] not in codes_by_rule.setdefault(rule, []) -%}
            {%- do codes_by_rule[rule].append(plan['calling_code']) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set stripped = namespace(sql=e164) -%}
    {%- for rule, codes in codes_by_rule.items() -%}
        {%- set stripped.sql = cdp.regexp_replace_all(
            stripped.sql, '^\\+(' ~ codes | join('|') ~ ')' ~ rule ~ '$', '+\\1\\2'
        ) -%}
    {%- endfor -%}
    {{- return(stripped.sql) -}}
{% endmacro %}
