{#- A query of the records carrying an identifier shared by different people and split by first name
    (int_identity_shared_identifiers, when_shared = split_by_first_name): the records whose link values
    depend on other records' names. -#}
{% macro split_identifier_records(identifiers, shared) %}
    select distinct identifiers.record_key
    from {{ identifiers }} as identifiers
    inner join {{ shared }} as shared
        on
            identifiers.id_type = shared.id_type
            and identifiers.id_value = shared.id_value
    where shared.when_shared = 'split_by_first_name'
{%- endmacro %}
