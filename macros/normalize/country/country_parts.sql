{#- Shared pieces of normalize_country and country_rejection_reason, as SQL text:
    code           - the ISO alpha-2 code the value names, looked up by a key that ignores case, accents
                     and everything but letters (so 'U.S.A.' and 'usa' are one key);
    is_placeholder - true for a placeholder, checked before the code: 'n/a' would read as Namibia.
    The lookup holds every spelling, so each macro below uses it once. -#}
{% macro country_parts(country) %}
    {%- set reference = cdp.country_reference() -%}
    {%- set folding = cdp.accent_folding() -%}
    {%- set trimmed = 'lower(trim(' ~ country ~ '))' -%}
    {%- set key = cdp.regexp_replace_all(cdp.fold_accents(trimmed), '[^a-z]', '') -%}
    {#- The same key, computed here for every spelling in the reference: all spellings are folded as one
        text, one per line (folding them one by one costs a second of compile time per model). -#}
    {%- set spellings = [] -%}
    {%- set codes = [] -%}
    {%- for alpha_2, alpha_3, name, aliases in reference['countries'] -%}
        {%- for spelling in [alpha_2, alpha_3, name] + aliases -%}
            {%- do spellings.append(spelling) -%}
            {%- do codes.append(alpha_2) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set folded = namespace(text=spellings | join('\n') | lower) -%}
    {%- for position in range(folding['from'] | length) -%}
        {%- set folded.text = folded.text | replace(folding['from'][position], folding['to'][position]) -%}
    {%- endfor -%}
    {%- set spelling_keys = modules.re.sub('[^a-z\n]', '', folded.text).split('\n') -%}
    {%- set codes_by_key = {} -%}
    {%- for position in range(spellings | length) -%}
        {%- set spelling_key, alpha_2 = spelling_keys[position], codes[position] -%}
        {%- if codes_by_key.get(spelling_key, alpha_2) != alpha_2 -%}
            {%- do exceptions.raise_compiler_error(
                'country_reference: ' ~ spellings[position] ~ ' is also a spelling of ' ~ codes_by_key[spelling_key]
            ) -%}
        {%- endif -%}
        {%- do codes_by_key.update({spelling_key: alpha_2}) -%}
    {%- endfor -%}
    {#- A lookup string '|=--|ad=AD|andorra=AD|...': the two letters after '|<key>=' are the code. Where
        the key is missing the search starts at the sentinel '--' instead. Engines handle this far
        better than a CASE with a thousand branches, which Spark's code generator cannot compile. -#}
    {%- set entries = ['|=--'] -%}
    {%- for spelling_key, alpha_2 in codes_by_key.items() if spelling_key -%}
        {%- do entries.append('|' ~ spelling_key ~ '=' ~ alpha_2) -%}
    {%- endfor -%}
    {%- set lookup = cdp.sql_string(entries | join('') ~ '|') -%}
    {%- set found_at = dbt.position(dbt.concat(["'|'", key, "'='"]), lookup) -%}
    {%- set code = 'nullif(' ~ cdp.regexp_extract(
        'substr(' ~ lookup ~ ', greatest(' ~ found_at ~ ', 1))', '^[|][a-z]*=([A-Z]{2}|--)', 1
    ) ~ ", '--')" -%}
    {%- set is_placeholder = trimmed ~ ' in ' ~ cdp.sql_string_list(cdp.placeholder_values()['any']) -%}
    {{- return({'code': code, 'is_placeholder': is_placeholder}) -}}
{% endmacro %}
