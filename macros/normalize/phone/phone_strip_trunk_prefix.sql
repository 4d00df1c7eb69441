{#- Drop a trunk prefix written after the calling code of an E.164-shaped string: +44 (0)20 ... and
    national 020 ... both become +4420..., and NANP's 1-555-... becomes +1555...
    Safe to apply blindly because no national significant number in these plans starts with its
    country's trunk prefix. -#}
{% macro phone_strip_trunk_prefix(e164) %}
    {%- set codes_by_trunk_prefix = {} -%}
    {%- for plan in cdp.phone_numbering_plans()['countries'] if plan['trunk_prefix'] -%}
        {%- if plan['calling_code'] not in codes_by_trunk_prefix.setdefault(plan['trunk_prefix'], []) -%}
            {%- do codes_by_trunk_prefix[plan['trunk_prefix']].append(plan['calling_code']) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set stripped = namespace(sql=e164) -%}
    {%- for trunk_prefix, codes in codes_by_trunk_prefix.items() -%}
        {%- set stripped.sql = cdp.regexp_replace_all(
            stripped.sql, '^\\+(' ~ codes | join('|') ~ ')' ~ trunk_prefix, '+\\1'
        ) -%}
    {%- endfor -%}
    {{- return(stripped.sql) -}}
{% endmacro %}
