{#- The key the identity layer links emails on, from an already normalised email: the +tag is dropped
    for every domain, and for Gmail (whose servers ignore dots) the dots of the local part too, with
    googlemail.com folded into gmail.com. NULL when nothing is left of the local part. -#}
{% macro email_match_key(normalized_email) %}
    {{- return(adapter.dispatch('email_match_key', 'cdp')(normalized_email)) -}}
{% endmacro %}

{% macro default__email_match_key(normalized_email) -%}
    {%- set domain -%}
        case
            when {{ cdp.regexp_extract(normalized_email, '@(.+)$', 1) }} = 'googlemail.com' then 'gmail.com'
            else {{ cdp.regexp_extract(normalized_email, '@(.+)$', 1) }}
        end
    {%- endset -%}
    {%- set untagged_local_part = cdp.regexp_extract(normalized_email, '^([^@+]*)[^@]*@', 1) -%}
    {%- set local_part -%}
        case
            when {{ domain }} = 'gmail.com' then {{ dbt.replace(untagged_local_part, "'.'", "''") }}
            else {{ untagged_local_part }}
        end
    {%- endset -%}
    case
        when nullif({{ local_part }}, '') is not null
            then {{ dbt.concat([local_part, "'@'", domain]) }}
    end
{%- endmacro %}
