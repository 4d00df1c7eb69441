{#- Numbering facts for phone normalisation: the one place to add a country or correct a rule.

    countries: one entry per ISO country whose national numbers we can read without a country code.
      calling_code            ITU country calling code (digits after the +).
      trunk_prefix            digit(s) dialled before a national number inside the country and dropped
                              in E.164 (0 in most of Europe, 1 in NANP); none where the leading digit
                              is part of the number (Italy keeps its 0; Spain, Denmark, Norway,
                              Portugal and Mexico have no trunk prefix).
      international_prefixes  what callers in the country dial before a foreign calling code, besides
                              00, which is accepted from anywhere because no national number starts 00.
      nsn_lengths             lengths of the national significant number (digits after the calling code),
                              for the invalid_length reason.
      nsn_pattern             leading-digit and length rules for the national significant number
                              (regex; [0-9] rather than \d and no (?:...) so every engine reads it).
                              Modelled on libphonenumber's general descriptions, slightly simplified,
                              e.g. NANP area and exchange codes both start 2-9.
    other_calling_codes: every other geographic ITU calling code; an international number with one of
      these is accepted when it has 7 to 15 digits in all and at least 4 after the code, with no
      trunk-prefix or leading-digit rules.

    Every plan keeps E.164 numbers within 7 to 15 digits (the valid_e164 test).

    Calling codes are prefix-free (no code is the start of another), so the first digits of an
    international number identify its code without ambiguity. -#}
{% macro phone_numbering_plans() %}
    {%- set nanp = '[2-9][0-9]{2}[2-9][0-9]{6}' -%}
    {{- return({
        'countries': [
            {'country': 'US', 'calling_code': '1', 'trunk_prefix': '1', 'international_prefixes': ['011'],
             'nsn_lengths': [10], 'nsn_pattern': nanp},
            {'country': 'CA', 'calling_code': '1', 'trunk_prefix': '1', 'international_prefixes': ['011'],
             'nsn_lengths': [10], 'nsn_pattern': nanp},
            {'country': 'MX', 'calling_code': '52', 'trunk_prefix': none, 'international_prefixes': ['09'],
             'nsn_lengths': [10], 'nsn_pattern': '[2-9][0-9]{9}'},
            {'country': 'GB', 'calling_code': '44', 'trunk_prefix': '0', 'international_prefixes': [],
             'nsn_lengths': [7, 9, 10], 'nsn_pattern': '[1-357-9][0-9]{9}|[18][0-9]{8}|8[0-9]{6}'},
            {'country': 'IE', 'calling_code': '353', 'trunk_prefix': '0', 'international_prefixes': [],
             'nsn_lengths': [7, 8, 9, 10],
             'nsn_pattern': '(1[0-9]|[2569])[0-9]{6,8}|4[0-9]{6,9}|7[0-9]{8}|8[0-9]{8,9}'},
            {'country': 'DE', 'calling_code': '49', 'trunk_prefix': '0', 'international_prefixes': [],
             'nsn_lengths': [5, 6, 7, 8, 9, 10, 11, 12, 13],
             'nsn_pattern': '[2579][0-9]{5,12}|1[0-9]{4,12}|([368][0-9]|4[0-8])[0-9]{3,11}|49([34]0|69|8[0-9])[0-9]{1,2}|49(37|49|60|7[089]|9[0-9])[0-9]{1,3}|49(2[024-9]|3[2-689]|7[1-7])[0-9]{1,8}|49([015][0-9]|2[13]|31|[46][1-8])[0-9]{1,9}'},
            {'country': 'FR', 'calling_code': '33', 'trunk_prefix': '0', 'international_prefixes': [],
             'nsn_lengths': [9], 'nsn_pattern': '[1-9][0-9]{8}'},
            {'country': 'ES', 'calling_code': '34', 'trunk_prefix': none, 'international_prefixes': [],
             'nsn_lengths': [9], 'nsn_pattern': '400[0-9]{6}|51[0-9]{7}|[6-9][0-9]{8}'},
            {'country': 'IT', 'calling_code': '39', 'trunk_prefix': none, 'international_prefixes': [],
             'nsn_lengths': [6, 7, 8, 9, 10, 11, 12],
             'nsn_pattern': '0[0-9]{5,11}|1[0-9]{8,10}|3[0-8][0-9]{7,10}|39[0-9]{7,8}|(43|55|70)[0-9]{8}|8[0-9]{5}([0-9]{2,4})?'},
            {'country': 'NL', 'calling_code': '31', 'trunk_prefix': '0', 'international_prefixes': [],
             'nsn_lengths': [7, 8, 9, 10, 11], 'nsn_pattern': '[1-7][0-9]{8}|8[0-9]{6,9}|9[0-9]{6,10}'},
            {'country': 'BE', 'calling_code': '32', 'trunk_prefix': '0', 'international_prefixes': [],
             'nsn_lengths': [8, 9], 'nsn_pattern': '4[0-9]{8}|[1-9][0-9]{7}'},
            {'country': 'CH', 'calling_code': '41', 'trunk_prefix': '0', 'international_prefixes': [],
             'nsn_lengths': [9, 12], 'nsn_pattern': '[2-9][0-9]{8}|8[0-9]{11}'},
            {'country': 'SE', 'calling_code': '46', 'trunk_prefix': '0', 'international_prefixes': [],
             'nsn_lengths': [6, 7, 8, 9, 10, 12],
             'nsn_pattern': '[26][0-9]{11}|9[0-9]{9}|[1-9][0-9]{6,8}|2[0-9]{5}'},
            {'country': 'DK', 'calling_code': '45', 'trunk_prefix': none, 'international_prefixes': [],
             'nsn_lengths': [8], 'nsn_pattern': '[2-9][0-9]{7}'},
            {'country': 'NO', 'calling_code': '47', 'trunk_prefix': none, 'international_prefixes': [],
             'nsn_lengths': [8], 'nsn_pattern': '[2-9][0-9]{7}'},
            {'country': 'PT', 'calling_code': '351', 'trunk_prefix': none, 'international_prefixes': [],
             'nsn_lengths': [9], 'nsn_pattern': '1693[0-9]{5}|[26-9][0-9]{8}|30[0-9]{7}'},
            {'country': 'AU', 'calling_code': '61', 'trunk_prefix': '0',
             'international_prefixes': ['0011', '0014', '0015', '0016', '0018', '0019'],
             'nsn_lengths': [5, 6, 7, 8, 9, 10, 11, 12], 'nsn_pattern': '[2-478][0-9]{8}|1[0-9]{4,11}'},
            {'country': 'NZ', 'calling_code': '64', 'trunk_prefix': '0', 'international_prefixes': ['0161'],
             'nsn_lengths': [5, 6, 7, 8, 9, 10],
             'nsn_pattern': '[1289][0-9]{9}|50[0-9]{5}([0-9]{2,3})?|[27-9][0-9]{7,8}|([34][0-9]|6[0-35-9])[0-9]{6}|8[0-9]{4,6}'},
            {'country': 'IN', 'calling_code': '91', 'trunk_prefix': '0', 'international_prefixes': [],
             'nsn_lengths': [8, 9, 10, 11, 12, 13], 'nsn_pattern': '[2-9][0-9]{9}|1[0-9]{7,12}'}
        ],
        'other_calling_codes': (
            '7 20 27 30 36 40 43 48 51 53 54 55 56 57 58 60 62 63 65 66 81 82 84 86 90 92 93 94 95 98 '
            ~ '211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 235 236 '
            ~ '237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 256 257 258 '
            ~ '260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 352 354 355 356 357 358 '
            ~ '359 370 371 372 373 374 375 376 377 378 380 381 382 383 385 386 387 389 420 421 423 500 '
            ~ '501 502 503 504 505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 670 672 673 '
            ~ '674 675 676 677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 850 852 853 855 '
            ~ '856 880 886 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 992 993 '
            ~ '994 995 996 998'
        ).split()
    }) -}}
{% endmacro %}
