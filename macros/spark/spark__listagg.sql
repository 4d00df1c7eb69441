{#-
    dbt's listagg on Spark (overrides dbt-spark's, which drops the order and only warns, so `sources` or
    `segments` strings would come out in any order and differ between engines). The values are collected
    with their sort keys, sorted, then joined: collect_list of struct(keys..., value), array_sort, transform.
    Ascending keys only (what the models use); a descending order fails to compile rather than be ignored.
-#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if not order_by_clause -%}
        {{ return(dbt.spark__listagg(measure, delimiter_text, order_by_clause, limit_num)) }}
    {%- endif -%}
    {%- set keys = modules.re.sub('(?i)^\\s*order\\s+by\\s+', '', order_by_clause) -%}
    {%- set keys = modules.re.sub('(?i)\\s+asc\\b', '', keys) -%}
    {%- if modules.re.search('(?i)\\bdesc\\b|\\bnulls\\b', keys) -%}
        {%- do exceptions.raise_compiler_error(
            'cdp spark__listagg sorts ascending only; got: ' ~ order_by_clause
        ) -%}
    {%- endif -%}
    {%- set sorted -%}
        transform(array_sort(collect_list(struct({{ keys }}, {{ measure }} as listagg_value))), entry -> entry.listagg_value)
    {%- endset -%}
    {%- if limit_num -%}
        {%- set sorted = 'slice(' ~ sorted ~ ', 1, ' ~ limit_num ~ ')' -%}
    {%- endif -%}
    array_join({{ sorted }}, {{ delimiter_text }})
{%- endmacro %}
