{#- Shared pieces of normalize_phone and phone_rejection_reason, as SQL text.

    How a number is read, following libphonenumber's parse():
      1. lower-case; drop an extension (x123, ext. 12, #12, ;ext=12) and surrounding whitespace;
         besides the digits, only a leading +, spaces and ( ) . - / may remain;
      2. international form: a leading +, or an international prefix dialled from the default country
         (00 from anywhere, 011 from NANP, 0011 from Australia, ...): the digits that follow start
         with the calling code;
      3. otherwise a national number of the default country, so its calling code is prefixed; when
         that is not valid but the digits already start with the calling code and are valid read that
         way (447700900123 for GB), they are read as calling code + number instead;
      4. a trunk prefix right after the calling code is dropped (+44 (0)20 ..., 1-555-... in NANP);
      5. the result must match the numbering plan of its calling code (phone_numbering_plans).

    Returns a dict of SQL expressions: digits (all digits but the extension's), international_digits
    (step 2; NULL for a national number), country_calling_code (of the default country; NULL when it
    has no plan), candidate (the E.164 string steps 1-4 give; NULL when step 1 fails or there is no
    way to read it); and of regular expressions that judge a candidate: valid, plausible_length,
    known_calling_code, repeated_digits. The SQL repeats these pieces, so they are kept short.

    `columns` names columns that already hold some of the pieces for this phone, which are then used
    instead of their SQL: digits, body, country_calling_code, international (step 2's reading, trunk
    prefix dropped), national and with_calling_code (step 3's two readings), candidate. normalized_distinct
    computes them in the stages of phone_part_stages, so that each is written once (inline, digits is
    repeated 25 times). -#}
{% macro phone_parts(phone, default_country, columns={}) %}
    {%- set plans = cdp.phone_numbering_plans() -%}

    {#- Regular expressions over an E.164 candidate, built from the numbering plans. -#}
    {%- set patterns_by_code = {} -%}
    {%- set lengths_by_code = {} -%}
    {%- for plan in plans['countries'] -%}
        {%- if plan['nsn_pattern'] not in patterns_by_code.setdefault(plan['calling_code'], []) -%}
            {%- do patterns_by_code[plan['calling_code']].append(plan['nsn_pattern']) -%}
        {%- endif -%}
        {%- for length in plan['nsn_lengths'] if length not in lengths_by_code.setdefault(plan['calling_code'], []) -%}
            {%- do lengths_by_code[plan['calling_code']].append(length) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set valid_alternatives = [] -%}
    {%- set length_alternatives = [] -%}
    {%- for code, patterns in patterns_by_code.items() -%}
        {%- do valid_alternatives.append(code ~ '(' ~ patterns | join('|') ~ ')') -%}
        {%- set lengths = [] -%}
        {%- for length in lengths_by_code[code] | sort -%}
            {%- do lengths.append('[0-9]{' ~ length ~ '}') -%}
        {%- endfor -%}
        {%- do length_alternatives.append(code ~ '(' ~ lengths | join('|') ~ ')') -%}
    {%- endfor -%}
    {#- Other calling codes: 7 to 15 digits in all, at least 4 of them after the code. -#}
    {%- for code_length in [1, 2, 3] -%}
        {%- set codes = [] -%}
        {%- for code in plans['other_calling_codes'] if code | length == code_length -%}
            {%- do codes.append(code) -%}
        {%- endfor -%}
        {%- if codes -%}
            {%- set generic = '(' ~ codes | join('|') ~ ')[0-9]{' ~ [4, 7 - code_length] | max ~ ',' ~ (15 - code_length) ~ '}' -%}
            {%- do valid_alternatives.append(generic) -%}
            {%- do length_alternatives.append(generic) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set calling_code = '(' ~ ((patterns_by_code.keys() | list) + plans['other_calling_codes']) | join('|') ~ ')' -%}
    {%- set valid = '\\+(' ~ valid_alternatives | join('|') ~ ')' -%}

    {#- Step 1. An extension is matched before a lone non-digit (and is the longer match), so it goes
        whole. -#}
    {%- set extension = '\\s*[,;]?\\s*(extension|extn|ext|x|#)[.:=#]?\\s*[0-9]{1,7}\\s*$' -%}
    {%- set digits = columns.get('digits') or cdp.regexp_replace_all(
        'lower(' ~ phone ~ ')', '(' ~ extension ~ ')|[^0-9]', ''
    ) -%}
    {%- set body = columns.get('body') or cdp.regexp_replace_all(
        'lower(' ~ phone ~ ')', '^\\s+|(' ~ extension ~ ')|\\s+$', ''
    ) -%}
    {%- set country = 'upper(trim(' ~ default_country ~ '))' -%}

    {#- Step 2: how many leading digits are an international prefix (0 after a +). -#}
    {%- set countries_by_prefix = {} -%}
    {%- for plan in plans['countries'] -%}
        {%- for prefix in plan['international_prefixes'] -%}
            {%- do countries_by_prefix.setdefault(prefix | length, {}).setdefault(plan['country'], []).append(prefix) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set international_prefix_length -%}
        case
            when trim({{ phone }}) like '+%' then 0
            {#- Longer prefixes first: Australia's 0011 also starts with 00. -#}
            {%- for prefix_length in countries_by_prefix.keys() | sort(reverse=true) %}
            {%- set countries_by_prefixes = {} %}
            {%- for country_code, prefixes in countries_by_prefix[prefix_length].items() %}
                {%- do countries_by_prefixes.setdefault(prefixes | join(','), []).append(country_code) %}
            {%- endfor %}
            {%- for prefixes, countries in countries_by_prefixes.items() %}
            when {{ country }} in {{ cdp.sql_string_list(countries) }}
                and substr({{ digits }}, 1, {{ prefix_length }}) in {{ cdp.sql_string_list(prefixes.split(',')) }}
                then {{ prefix_length }}
            {%- endfor %}
            {%- endfor %}
            when {{ digits }} like '00%' then 2
        end
    {%- endset -%}
    {%- set international_digits = 'substr(' ~ digits ~ ', ' ~ international_prefix_length ~ ' + 1)' -%}
    {%- set international = columns.get('international')
        or cdp.phone_strip_trunk_prefix("'+' || " ~ international_digits) -%}

    {#- Step 3. -#}
    {%- set country_calling_code -%}
        case {{ country }}
            {%- for plan in plans['countries'] %}
            when '{{ plan['country'] }}' then '{{ plan['calling_code'] }}'
            {%- endfor %}
        end
    {%- endset -%}
    {%- set country_calling_code = columns.get('country_calling_code') or country_calling_code -%}
    {%- set national = columns.get('national')
        or cdp.phone_strip_trunk_prefix("'+' || " ~ country_calling_code ~ ' || ' ~ digits) -%}
    {%- set with_calling_code = columns.get('with_calling_code')
        or cdp.phone_strip_trunk_prefix("'+' || " ~ digits) -%}

    {#- Steps 1 to 4. -#}
    {%- set candidate -%}
        case
            when {{ cdp.regexp_full_match(body, '\\+?[0-9 ()./-]*') }}
                then coalesce(
                    {{ international }},
                    case
                        when {{ country_calling_code }} is null then null
                        when {{ cdp.regexp_full_match(national, valid) }}
                            or substr({{ digits }}, 1, length({{ country_calling_code }})) <> {{ country_calling_code }}
                            or not {{ cdp.regexp_full_match(with_calling_code, valid) }}
                            then {{ national }}
                        else {{ with_calling_code }}
                    end
                )
        end
    {%- endset -%}
    {%- set candidate = columns.get('candidate') or candidate -%}

    {{- return({
        'body': body,
        'digits': digits,
        'international_digits': international_digits,
        'country_calling_code': country_calling_code,
        'international': international,
        'national': national,
        'with_calling_code': with_calling_code,
        'candidate': candidate,
        'valid': valid,
        'plausible_length': '\\+(' ~ length_alternatives | join('|') ~ ')',
        'known_calling_code': '\\+' ~ calling_code ~ '[0-9]*',
        'repeated_digits': '\\+' ~ calling_code ~ '(0+|1+|2+|3+|4+|5+|6+|7+|8+|9+)'
    }) -}}
{% endmacro %}

{#- The pieces of phone_parts that normalized_distinct computes, one subquery per stage: each stage's pieces
    read only the pieces of the stages before it. -#}
{% macro phone_part_stages() %}
    {{- return([
        ['digits', 'body', 'country_calling_code'],
        ['international', 'national', 'with_calling_code'],
        ['candidate'],
    ]) -}}
{% endmacro %}
