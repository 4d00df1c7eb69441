-- Pairs of first-name keys that name the same person by the nickname seed: a name and each nickname,
-- and two nicknames of one name (bob ~ robbie), in both directions.
with

nicknames as (
    select
        {{ cdp.first_name_key('first_name') }} as first_name_key,
        {{ cdp.first_name_key('nickname') }} as nickname_key
    from {{ ref('first_name_nicknames') }}
),

name_forms as (
    select
        first_name_key,
        first_name_key as form_key
    from nicknames
    union
    select
        first_name_key,
        nickname_key as form_key
    from nicknames
),

final as (
    select distinct
        form_a.form_key as name_key_a,
        form_b.form_key as name_key_b
    from name_forms as form_a
    inner join name_forms as form_b
        on form_a.first_name_key = form_b.first_name_key
    where form_a.form_key != form_b.form_key
)

select * from final
