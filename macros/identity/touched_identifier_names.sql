{#-
    int_identity_identifier_names is incremental. The names behind an identifier come from the rows of
    int_identity_identifiers carrying it and, through the records carrying it, from the rows of the stronger
    account identifiers on those records. So they change only for:
      * the values of rows int_identity_identifiers wrote since the last run (built_at: a record landed) or
        deleted (its log of removed rows, macros/identity/removals.sql: a record landed again or is gone);
      * every value on a record that carries an account value of the first kind (its names changed).
    The pre-hook lists those values in a work table and deletes their rows; the model appends them again.
    Every row is computed again when the rules changed (rules_version: priorities, is_account), the table
    lacks the stamp, or the log does not cover the last run.
-#}

{#- The rules the names depend on, as one string stored with every row. -#}
{% macro identifier_names_rules_version() %}
    {{ return(cdp.rules_version(ref('int_identity_rules'), ['id_type', 'priority', 'is_account'])) }}
{% endmacro %}

{#- The newest named_at (a SQL literal) when the run may name only the touched values, else none. -#}
{% macro identifier_names_since(rules_version) %}
    {%- set since = cdp.identity_rows_since('named_at', rules_version=rules_version) -%}
    {%- if since is none or cdp.removals_since(ref('int_identity_identifiers'), since) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(since) }}
{% endmacro %}

{#- The work table of the touched values (id_type, id_value). -#}
{% macro identifier_names_touched_relation() %}
    {{ return(cdp.cc_work_relation(this, 'touched')) }}
{% endmacro %}

{#- Pre-hook: list the touched values and delete their rows (every row when `since` is none). -#}
{% macro forget_touched_identifier_names(identifiers, id_types, rules_version) %}
    {%- if not execute or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set since = cdp.identifier_names_since(rules_version) -%}
    {%- if since is none -%}
        {{ return(cdp.delete_rows(this, 'true')) }}
    {%- endif -%}
    {%- set touched_sql -%}
        with

        changed as (
            select id_type, id_value
            from {{ identifiers }}
            where built_at > {{ since }}
            union all
            select id_type, id_value
            from {{ cdp.removals_relation(identifiers) }}
            where record_key is not null and removed_at > {{ since }}
        ),

        -- The records carrying an account value whose names changed: their other values hear those names.
        account_records as (
            select identifiers.record_key
            from {{ identifiers }} as identifiers
            inner join (select distinct id_type, id_value from changed) as changed_values
                on
                    identifiers.id_type = changed_values.id_type
                    and identifiers.id_value = changed_values.id_value
            inner join {{ id_types }} as id_types
                on identifiers.id_type = id_types.id_type
            where id_types.is_account
        ),

        touched as (
            select id_type, id_value from changed
            union all
            select id_type, id_value
            from {{ identifiers }}
            where record_key in (select record_key from account_records)
        )

        select distinct id_type, id_value from touched
    {%- endset -%}
    {%- set touched_relation = cdp.identifier_names_touched_relation() -%}
    {%- do cdp.cc_create_table(touched_relation, touched_sql, temporary=true) -%}
    {{ return(cdp.delete_rows(this,
        dbt.concat(["id_type", "':'", "id_value"]) ~ ' in (select '
        ~ dbt.concat(["id_type", "':'", "id_value"]) ~ ' from ' ~ touched_relation ~ ')'
    )) }}
{% endmacro %}
