"""The plan: which systems each person appears in, their ids there, and how many records they make.

`actors_sql` turns persons into "actors", one row per person with every column the source generators
read. The initial load uses the plan as is; batches override columns (see batch.py) to make only the
records they need, e.g. a new shop account for a person who so far only ordered as a guest.
"""

from __future__ import annotations

from cdp_sample import rates
from cdp_sample.fields import between, count
from cdp_sample.reference import COUNTRIES, STORES
from cdp_sample.sql import urn

DAY = 86_400.0
BATCH_SECONDS = 3_600.0  # batch K is loaded K hours after the initial load
# 2**40: the span of `scramble`; batch K's ids of events and orders sit K spans above the initial load's.
ID_SPAN = 1 << 40

# Odd multipliers (< 2**23, so slot * multiplier fits a bigint) and offsets of the id bijections.
_SCRAMBLE = {
    "shop_customer": (5_754_853, 91_234_567),
    "shop_order": (6_291_469, 12_345_671),
    "shop_checkout": (7_340_033, 55_555_333),
    "crm_contact": (4_194_319, 3_141_593),
    "loyalty_member": (3_145_739, 2_718_281),
    "loyalty_card": (8_388_593, 161_803_398),
    "support_ticket": (5_242_883, 1_414_213),
    "pos_transaction": (6_815_747, 17_320_508),
}


# Slot offset of a probabilistic-only record's ids whose kind uses the bare person id as slot (loyalty).
SECOND_SLOT = 1 << 39


def scrambled(slot: str, kind: str) -> str:
    mult, add = _SCRAMBLE[kind]
    return f"scramble(({slot})::bigint, {mult}, {add})"


def country_sql() -> str:
    """Rows of the countries table: calling code, trunk prefix, currency, NSN grouping, stores."""
    rows = []
    for c in COUNTRIES:
        stores = [s for s in STORES if s.country == c.code]
        rows.append(
            f"('{c.code}', '{c.phone.calling_code}', '{c.phone.trunk}', '{c.currency}', "
            f"{list(c.phone.groups)}, {len(stores)})"
        )
    return (
        "create or replace temp table countries as select * from (values "
        + ", ".join(rows)
        + ") t(code, cc, trunk, currency, groups, n_stores)"
    )


def stores_sql() -> str:
    rows = []
    for c in COUNTRIES:
        for i, s in enumerate(x for x in STORES if x.country == c.code):
            rows.append(f"('{s.store_id}', '{s.country}', {i + 1}, '{s.timezone}', '{s.phone_nsn}')")
    return (
        "create or replace temp table stores as select * from (values "
        + ", ".join(rows)
        + ") t(store_id, country, idx, timezone, phone_nsn)"
    )


def grouped_sql(nsn: str) -> str:
    """The NSN written in its country's digit groups, separated by spaces ("7911 123456", "6 12 34 56 78")."""
    branches = []
    for c in COUNTRIES:
        parts, pos = [], 1
        for i, size in enumerate(c.phone.groups):
            last = i == len(c.phone.groups) - 1
            parts.append(f"substr({nsn}, {pos})" if last else f"substr({nsn}, {pos}, {size})")
            pos += size
        branches.append(f"when '{c.code}' then " + " || ' ' || ".join(parts))
    return "case country " + " ".join(branches) + " end"


def families_sql(everyone: str) -> str:
    """Temp table `families`: households whose second person uses the head's email (one row each).

    `actors_sql` reads it to let that person act on the head's ESP profile (an ESP keeps one profile per
    email) and to keep the head's profile on the family mailbox. Built from everyone (all chunks and
    batches), because a household may straddle two chunks.
    """
    return f"""
    create or replace temp table families as
    select m.household_id,
        m.archetype = 'split' as member_split,
        h.archetype = 'split' as head_split,
        epoch(h.joined_at) as head_t_lo,
        h.batch as head_batch
    from {everyone} as m
    join {everyone} as h on h.person_id = m.household_id
    where m.family_email is not null
    """


def _probabilistic_system(pid: str) -> str:
    """The system of a person's probabilistic-only record: the preferred one, else the next one unused."""
    unused = {"crm": "not crm", "loyalty": "not loyalty", "support": "n_tickets = 0"}
    branches = []
    for preferred in rates.PROBABILISTIC_SYSTEM:
        order = [preferred, *(s for s in rates.PROBABILISTIC_SYSTEM if s != preferred)]
        choice = " ".join(f"when {unused[s]} then '{s}'" for s in order)
        branches.append(f"when '{preferred}' then case {choice} end")
    drawn = f"pick({urn(rates.PROBABILISTIC_SYSTEM)}, u({pid}, 'prob_sys'))"
    return f"case {drawn} " + " ".join(branches) + " end"


def actors_sql(persons: str, as_of: float, deletion_rate: float, deletion_ids: tuple[int, ...] = ()) -> str:
    """SELECT of the actors for the persons relation, as the initial load (or their batch) made them.

    Each person's window runs from joining to the load that brought them in (as_of + batch hours), so the
    plan of a person, and every id and time derived from it, is the same in every later batch. Needs the
    temp table `families` (families_sql) of everyone.
    """
    r = rates
    pid = "person_id"
    head_t_hi = f"({as_of} + fam.head_batch * {BATCH_SECONDS})"  # the head's t_hi (same block as the person)
    return f"""
    with p as (
        select
            p.person_id, p.household_id, p.household_rank, p.household_size, p.archetype, p.country, p.sex,
            p.first_name, p.last_name, p.nickname, p.birth_date, p.postal_code,
            p.first_email as email_1,
            case when p.email_changed_at is not null then p.email end as email_2,
            epoch(p.email_changed_at) as t_email_change,
            p.family_email, p.phone_e164, p.work_email,
            c.cc, c.trunk, c.currency, c.n_stores,
            substr(p.phone_e164, len(c.cc) + 2) as nsn,
            substr(p.landline_e164, len(c.cc) + 2) as landline_nsn,
            -- the family: the head of a household whose second person uses the head's email ...
            p.household_rank = 0 and fam.household_id is not null and not fam.member_split as family_head,
            -- ... and, for that second person, the head's split flag and ESP sign-up time
            coalesce(fam.head_split, true) as head_split,
            {between("p.household_id", "t_esp", "fam.head_t_lo", head_t_hi, 1.5)} as head_t_esp,
            epoch(p.joined_at) as t_lo,
            ({as_of} + p.batch * {BATCH_SECONDS})::double as t_hi,
            p.archetype = 'split' as split,
            p.household_size >= 2 and p.household_rank <= 1
                and u(p.household_id, 'tablet') < {r.FAMILY_TABLET} as tablet
        from {persons} as p
        join countries as c on c.code = p.country
        left join families as fam on fam.household_id = p.household_id
    ),
    f as (
        select
            *,
            {grouped_sql("nsn")} as grp,
            {grouped_sql("landline_nsn")} as landline_grp,
            not split and (u({pid}, 'shop') < {r.SHOP_ACCOUNT} or tablet) as shop_account,
            not split and u({pid}, 'crm') < {r.CRM_CONTACT} as crm,
            not split and (u({pid}, 'esp') < {r.ESP_PROFILE} or family_email is not null) as esp,
            case when split or u({pid}, 'pos') < {r.POS_SHOPPER}
                then {count(r.POS_TRANSACTIONS, pid, "n_pos")} else 0 end as n_pos,
            1 + floor(u(household_id, 'store') * n_stores)::int as home_store
        from p
    ),
    g as (
        select
            *,
            not shop_account and (split or u({pid}, 'guest') < {r.GUEST_SHOPPER}) as guest_shopper,
            split or (n_pos > 0 and u({pid}, 'loyalty') < {r.LOYALTY_MEMBER_IF_POS})
                or (n_pos = 0 and u({pid}, 'loyalty') < {r.LOYALTY_MEMBER_OTHERWISE})
                or (family_email is not null and u({pid}, 'family_loyalty') < 0.5) as loyalty
        from f
    ),
    planned as (
    select
        person_id, household_id, household_rank, household_size, archetype, country, sex, first_name,
        last_name, nickname, birth_date, postal_code, email_1, email_2, t_email_change, family_email,
        phone_e164, cc, nsn, trunk, grp, currency, n_stores, home_store, t_lo, t_hi,
        -- the person's own history; batches move the window of new records (t_lo .. t_hi), never this
        t_lo as t_start, t_hi as t_end,
        -- shop
        shop_account,
        6000000000000 + {scrambled(f"{pid} * 4", "shop_customer")} as shop_id,
        {between(pid, "t_shop", "t_lo", "t_hi", 2.0)} as t_shop,
        shop_account and u({pid}, 'shop_dup') < {r.SHOP_DUPLICATE_ACCOUNT} as shop_dup,
        6000000000000 + {scrambled(f"{pid} * 4 + 1", "shop_customer")} as shop_dup_id,
        case when shop_account then {count(r.ACCOUNT_ORDERS, pid, "n_orders")}
             when guest_shopper then {count(r.GUEST_ORDERS, pid, "n_orders")} else 0 end as n_orders,
        case when (shop_account or guest_shopper) and not split and u({pid}, 'abandoner') < {r.ABANDONER}
             then {count(r.ABANDONED_CHECKOUTS, pid, "n_abandoned")} else 0 end as n_abandoned,
        u({pid}, 'cross_device') < {r.CROSS_DEVICE} as cross_device,
        {between(pid, "t_cross", "t_lo", f"greatest(t_lo, t_hi - 3 * {DAY})")} as t_cross,
        -- crm
        crm,
        1000 + {scrambled(f"{pid} * 4", "crm_contact")} as crm_vid,
        crm and u({pid}, 'crm_dup') < {r.CRM_DUPLICATE} as crm_dup,
        1000 + {scrambled(f"{pid} * 4 + 1", "crm_contact")} as crm_dup_vid,
        -- web and app
        case when not split and u({pid}, 'web') < {r.WEB_VISITOR}
             then {count(r.WEB_COOKIES, pid, "n_cookies")} else 0 end as n_cookies,
        false as web_continue,
        not split and (u({pid}, 'app') < {r.APP_USER} or tablet) as app,
        {count(r.APP_EVENTS, pid, "n_app")} as n_app_events,
        tablet,
        {count(r.TABLET_EVENTS, pid, "n_tablet")} as n_tablet_events,
        -- stores and loyalty
        n_pos,
        loyalty,
        100000 + {scrambled(pid, "loyalty_member")} as member_id,
        '77' || lpad({scrambled(pid, "loyalty_card")}::varchar, 14, '0') as card,
        {between(pid, "t_enrol", "t_lo", "t_hi", 1.5)} as t_enrol,
        -- support
        case when not split and u({pid}, 'support') < {r.SUPPORT_REQUESTER}
             then {count(r.SUPPORT_TICKETS, pid, "n_tickets")} else 0 end as n_tickets,
        -- esp
        esp,
        {between(pid, "t_esp", "t_lo", "t_hi", 1.5)} as t_esp,
        esp and u({pid}, 'esp_dup') < {r.ESP_DUPLICATE_PROFILE} as esp_dup,
        esp and u({pid}, 'esp_sms') < {r.ESP_SMS} as esp_sms,
        case when esp then {count(r.ESP_EVENTS, pid, "n_esp")} else 0 end as n_esp_events,
        null::double as t_unsubscribe,
        -- privacy
        u({pid}, 'deletion') < {deletion_rate} or {pid} in ({", ".join(map(str, deletion_ids)) or "null"})
            as deletion,
        -- batch controls: the initial load makes every profile row and nothing else
        true as emit_profiles,
        null::double as t_update,
        null::varchar as extra_email,
        false as force_phone,  -- phone fields always filled (a batch's record that must link by phone)
        false as logged_in,  -- orders always placed while logged in (a batch's purchase by a known customer)
        0 as new_cookie,  -- > 0: the web cookie is a new one (batch number), identified by extra_email
        -- the ESP keeps one profile per email: a person using the family email acts on the head's profile
        esp and family_email is not null and not head_split and u(household_id, 'esp') < {r.ESP_PROFILE}
            as esp_shared,
        head_t_esp,
        esp and family_head as esp_family_head,  -- the head's profile stays on the family mailbox
        work_email, landline_nsn, landline_grp
    from g
    )
    select *,
        -- one record that shares no identifier with the person's other records (see rates.py)
        case when archetype <> 'split' and work_email is not null and (shop_account or n_orders > 0)
             then {_probabilistic_system(pid)} end as prob_system
    from planned
    """
