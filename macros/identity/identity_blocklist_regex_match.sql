{#
    A boolean SQL expression: does `value_column` match one of the regular expressions of the
    identity_blocklist seed for its `id_type_column` (or for every type, '*')? The patterns are read when the
    model runs and inlined as one constant alternation per identifier type, so the engine compiles each
    pattern once instead of once per value. 'false' before the seed exists (parsing, linting).
#}
{% macro identity_blocklist_regex_match(id_type_column, value_column) %}
    {%- set rules = [] %}
    {%- if execute and load_relation(ref('identity_blocklist')) is not none %}
        {%- set query %}
            select id_type, pattern from {{ ref('identity_blocklist') }} where match_type = 'regex' order by 1, 2
        {%- endset %}
        {%- for row in run_query(query).rows %}{% do rules.append((row[0], row[1])) %}{% endfor %}
    {%- endif %}
    {%- set any_type = rules | selectattr(0, 'equalto', '*') | map(attribute=1) | list %}
    {%- set typed = {} %}
    {%- for id_type, pattern in rules if id_type != '*' %}
        {%- do typed.setdefault(id_type, []).append(pattern) %}
    {%- endfor %}
    {%- set any_type_match = cdp.regexp_contains(
        value_column, cdp.sql_string('(' ~ any_type | join(')|(') ~ ')')
    ) if any_type else 'false' %}
    {%- if not typed %}{{ return(any_type_match) }}{% endif %}
    {%- set branches = [] %}
    {%- for id_type, patterns in typed.items() %}
        {%- do branches.append(
            "when " ~ cdp.sql_string(id_type) ~ " then "
            ~ cdp.regexp_contains(value_column, cdp.sql_string('(' ~ (patterns + any_type) | join(')|(') ~ ')'))
        ) %}
    {%- endfor %}
    {{- return('case ' ~ id_type_column ~ ' ' ~ branches | join(' ') ~ ' else ' ~ any_type_match ~ ' end') }}
{% endmacro %}
