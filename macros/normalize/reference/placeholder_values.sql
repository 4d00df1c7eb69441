{#- The vocabulary of values people type when they have nothing to type. Compared with the trimmed,
    lower-cased input, so list them lower-case. Kept in one place so every rejection reason agrees.
    Deliberately absent: 'na' and 'no' (the country codes of Namibia and Norway; Na is also a surname)
    and single letters (initials). -#}
{% macro placeholder_values() %}
    {{- return({
        'any': [
            '-', '--', '---', '.', '..', '...', '?', '??', '???', '*', '#', '0', '/', '_',
            'n/a', 'n.a.', 'n.a', 'n a', 'n\\a', '#n/a', 'none', 'null', '(null)', 'nil', 'nan',
            'undefined', 'unknown', 'unk', 'not known', 'not available', 'not provided', 'not given',
            'nothing', 'blank', 'empty', 'tbd', 'tba', 'test', 'testing', 'asdf', 'xx', 'xxx',
            'xxxx', 'xxxxx', 'dummy', 'fake', 'declined', 'refused', 'do not use', 'other'
        ],
        'name': [
            'guest', 'customer', 'anonymous', 'anon', 'no name', 'noname', 'name', 'first name',
            'firstname', 'last name', 'lastname', 'surname', 'mr', 'mrs', 'ms', 'miss', 'dr',
            'sir', 'madam', 'valued customer', 'user', 'member'
        ],
        'email_local_part': [
            'noreply', 'no-reply', 'no_reply', 'donotreply', 'do-not-reply', 'do_not_reply',
            'noemail', 'no-email', 'no_email', 'nomail', 'no-mail', 'none', 'null', 'unknown',
            'nobody', 'invalid', 'test', 'testing', 'fake', 'asdf', 'x', 'xx', 'xxx', 'example',
            'sample', 'dummy', 'email', 'no', 'na', 'n.a'
        ],
        'email_domain': [
            'example.com', 'example.org', 'example.net', 'test.com', 'noemail.com', 'none.com',
            'fake.com', 'localhost'
        ],
        'email_top_level_domain': ['test', 'invalid', 'example', 'localhost', 'local']
    }) -}}
{% endmacro %}
