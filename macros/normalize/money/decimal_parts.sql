{#- Shared pieces of parse_decimal and decimal_rejection_reason, as SQL text.
    Accepted: an optional sign, an optional currency symbol ($ € £ ¥) or currency code (the main
    markets' ISO 4217 codes, any case) before or after, digits with or without comma thousands
    separators (1,234,567), and a point decimal separator. Decimal commas (1.234,56) are not guessed
    at: 1,234 would be ambiguous. -#}
{% macro decimal_parts(value, precision, scale) %}
    {%- set trimmed = 'trim(cast(' ~ value ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    {%- set number = '([0-9]{1,3}(,[0-9]{3})+|[0-9]+)([.][0-9]*)?|[.][0-9]+' -%}
    {%- set code = '(usd|eur|gbp|cad|aud|nzd|chf|sek|nok|dkk|pln|jpy|cny|inr|mxn|brl)' -%}
    {%- set amount = '[+-]?([$€£¥]|' ~ code ~ '\\s?)?(' ~ number ~ ')(\\s?' ~ code ~ ')?' -%}
    {%- set digits = cdp.regexp_replace_all(trimmed, '[^0-9.+-]', '') -%}
    {{- return({
        'trimmed': trimmed,
        'is_amount': cdp.regexp_full_match('lower(' ~ trimmed ~ ')', amount),
        'parsed': cdp.try_cast(digits, 'decimal(' ~ precision ~ ', ' ~ scale ~ ')')
    }) -}}
{% endmacro %}
