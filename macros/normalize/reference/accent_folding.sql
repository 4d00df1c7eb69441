{#- Accented Latin letters and the plain letters they fold to, position by position (lower case only:
    fold after lower()). Shared by fold_accents in SQL and by country_parts, which folds the spellings
    of country_reference in Jinja the same way. -#}
{% macro accent_folding() %}
    {{- return({
        'from': 'àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőřśšşßťùúûüūůűųýÿźżž',
        'to':   'aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorsssstuuuuuuuuyyzzz'
    }) -}}
{% endmacro %}
