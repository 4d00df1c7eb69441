{#
    The condition, for an incremental run, that keeps the rows a model does not hold yet or holds in an
    older version: a redelivered event (same key) is dropped, a profile version older than the one held is
    dropped (a late delivery never rolls a record back), a newer one replaces it. `relation` is the CTE
    being filtered; `version_column` the column ordering versions (NULL for first-delivery-wins tables).
    Outside incremental runs it is always true.
#}
{% macro not_yet_loaded(relation, key, version_column=none) %}
    {%- if is_incremental() -%}
        not exists (
            select 1
            from {{ this }} as held
            where
                held.{{ key }} = {{ relation }}.{{ key }}
                {%- if version_column %}
                and held.{{ version_column }} >= {{ relation }}.{{ version_column }}
                {%- endif %}
        )
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}
