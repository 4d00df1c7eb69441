{#- Shared pieces of normalize_name and name_rejection_reason, as SQL text:
    collapsed - trimmed, every run of whitespace made one space;
    reason    - why the value is rejected, NULL when it is valid or missing.
    A name may hold letters of any script plus spaces, hyphens, apostrophes and dots; a digit or an @
    means something else was typed into the field. -#}
{% macro name_parts(name) %}
    {%- set placeholders = cdp.placeholder_values() -%}
    {%- set collapsed = 'trim(' ~ cdp.regexp_replace_all(name, '\\s+', ' ') ~ ')' -%}
    {%- set reason -%}
        case
            when {{ name }} is null then null
            when {{ collapsed }} = '' then 'blank'
            when lower({{ collapsed }}) in {{ cdp.sql_string_list(placeholders['any'] + placeholders['name']) }}
                then 'placeholder'
            when {{ cdp.regexp_full_match(collapsed, '.*[0-9@].*') }}
                or {{ cdp.regexp_full_match(collapsed, "[ .,'’()/&_*+!?#~-]*") }}
                then 'invalid_format'
            when length({{ collapsed }}) > 100 then 'invalid_length'
        end
    {%- endset -%}
    {{- return({'collapsed': collapsed, 'reason': reason}) -}}
{% endmacro %}
