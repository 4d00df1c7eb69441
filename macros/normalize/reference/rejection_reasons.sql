{#- The fixed vocabulary of reasons a normaliser gives for NULLing a value (tested on every
    *_rejection_reason column by the valid_rejection_reason test). A NULL input is missing, not rejected. -#}
{% macro rejection_reasons() %}
    {{- return([
        'blank', 'placeholder', 'invalid_format', 'invalid_length', 'invalid_country_code',
        'repeated_digits', 'unknown_country', 'unparseable'
    ]) -}}
{% endmacro %}
