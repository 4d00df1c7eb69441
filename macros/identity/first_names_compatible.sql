{#
    Whether two first-name keys (see first_name_key) can name the same person: equal; a name and its
    nickname or two nicknames of one name (`equivalent`, a boolean SQL expression from the
    first_name_nicknames seed); an initial and a name starting with it; or a typo (same first letter, at
    most two edits, both at least four letters long). Deliberately generous: it decides only when an
    email or phone is shared by *different* people, and calling two spellings of one person different
    would split that person.
#}
{% macro first_names_compatible(a, b, equivalent) %}
    (
        {{ a }} = {{ b }}
        or {{ equivalent }}
        or ((length({{ a }}) = 1 or length({{ b }}) = 1) and left({{ a }}, 1) = left({{ b }}, 1))
        or (
            least(length({{ a }}), length({{ b }})) >= 4
            and left({{ a }}, 1) = left({{ b }}, 1)
            and {{ cdp.edit_distance(a, b) }} <= 2
        )
    )
{% endmacro %}
