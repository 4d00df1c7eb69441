{#- Shared pieces of normalize_email and email_rejection_reason, as SQL text:
    clean  - lower-cased with all whitespace removed (people paste addresses with spaces in them);
    reason - why the value is rejected, NULL when it is valid or missing.
    The syntax check is deliberately practical rather than full RFC 5322: a local part of letters,
    digits and _ % + ' - in dot-separated runs (RFC's rarer ! # $ & * / = ? ^ { | } ~ are read as
    typing errors), a dotted host name of letters, digits and hyphens, an alphabetic top-level domain. -#}
{% macro email_parts(email) %}
    {%- set placeholders = cdp.placeholder_values() -%}
    {%- set clean = 'lower(' ~ cdp.regexp_replace_all(email, '\\s', '') ~ ')' -%}
    {%- set atom = "[a-z0-9_%+'-]+" -%}
    {%- set address = atom ~ '(\\.' ~ atom ~ ')*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,63}' -%}
    {%- set local_part = cdp.regexp_extract(clean, '^([^@]+)@', 1) -%}
    {%- set domain = cdp.regexp_extract(clean, '@(.+)$', 1) -%}
    {%- set top_level_domain = cdp.regexp_extract(clean, '\\.([a-z]+)$', 1) -%}
    {%- set reason -%}
        case
            when {{ email }} is null then null
            when {{ clean }} = '' then 'blank'
            when {{ clean }} in {{ cdp.sql_string_list(placeholders['any']) }} then 'placeholder'
            when not {{ cdp.regexp_full_match(clean, address) }} then 'invalid_format'
            when length({{ clean }}) > 254 or length({{ local_part }}) > 64 then 'invalid_length'
            when {{ local_part }} in {{ cdp.sql_string_list(placeholders['email_local_part']) }}
                or {{ domain }} in {{ cdp.sql_string_list(placeholders['email_domain']) }}
                or {{ top_level_domain }} in {{ cdp.sql_string_list(placeholders['email_top_level_domain']) }}
                then 'placeholder'
        end
    {%- endset -%}
    {{- return({'clean': clean, 'reason': reason}) -}}
{% endmacro %}
