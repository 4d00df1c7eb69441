{#-
    A fingerprint of a rules seed's rows (`columns` of `relation`), read when the model runs: a
    customer-level model that applies the rules stores it in a `rules_version` column and recomputes every
    customer when the rules changed since (cdp.changed_customers(rules_version)). Empty before the seed
    exists (parsing, linting against an empty warehouse).
-#}
{% macro rules_version(relation, columns) %}
    {%- if not execute or load_relation(relation) is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set version = run_query(
        'select ' ~ cdp.set_fingerprint(columns) ~ ' from ' ~ relation
    ).columns[0].values()[0] -%}
    {{ return(version | string) }}
{% endmacro %}
