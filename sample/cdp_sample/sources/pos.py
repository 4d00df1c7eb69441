"""In-store point of sale: till transactions and their lines, at the person's home store or another one.

Cashiers scan or type the loyalty card, sometimes ask for a phone, and sometimes type the store's own
number when the customer gives none (one number on many unrelated customers).
"""

from __future__ import annotations

from cdp_sample import fields as f
from cdp_sample import rates
from cdp_sample.plan import ID_SPAN, grouped_sql, scrambled
from cdp_sample.sources import Ctx, Output
from cdp_sample.sources.catalog import CATEGORIES, SKUS, basket_total, product, quantity, unit_price
from cdp_sample.sql import list_lit

_JUNK_CARDS = ("0000", "n/a", "none", "0", "1111111111111111", "-")


def prepare(ctx: Ctx) -> list[str]:
    r = rates
    number = f"{ctx.batch} * {ID_SPAN} + {scrambled('slot', 'pos_transaction')}"
    transaction_id = f"store_id || '-' || lpad(({number})::varchar, 13, '0')"
    away = f"u(t.slot, 'away') < {r.POS_AWAY_STORE}"
    local_hour = "hour(timezone(timezone, ts(t0)::timestamptz))"
    return [
        f"""
        create or replace temp table pos_base as
        with t as (
            select a.*, a.person_id * 32 + j as slot
            from (select a.*, unnest(range(a.n_pos)) as j from actors as a where a.n_pos > 0) as a
        ),
        placed as (
            select t.*, s.store_id, s.timezone, s.phone_nsn as store_nsn,
                {f.between("t.slot", "t", "t.t_lo", "t.t_hi")} as t0
            from t
            join stores as s on s.country = t.country and s.idx = case
                when {away} then 1 + floor(u(t.slot, 'store') * t.n_stores)::int
                else t.home_store end
        ),
        daytime as (
            -- move night-time draws to the same store's opening hours
            select *, case when {local_hour} < 8 or {local_hour} >= 21 then t0 - 43200 else t0 end as t_sale
            from placed
        )
        select *,
            {transaction_id} as transaction_id,
            {ctx.batch} * {ID_SPAN} + slot as basket_key,
            loyalty and t_sale >= t_enrol
                and (archetype = 'split' or u2(slot, {ctx.batch}, 'card') < {r.POS_CARD_SCANNED}) as has_card,
            {grouped_sql("store_nsn")} as store_grp
        from daytime
        """
    ]


def outputs(ctx: Ctx) -> list[Output]:
    r = rates
    lines = f"{f.count(r.POS_LINES, 'a.basket_key', 'n_lines')}"
    card = f"""case
        when not a.has_card then null
        when u(a.basket_key, 'card_f') < {r.POS_CARD_JUNK}
            then pick({list_lit(_JUNK_CARDS)}, u(a.basket_key, 'junk'))
        when u(a.basket_key, 'card_f') < 0.75 then a.card
        when u(a.basket_key, 'card_f') < 0.9 then substr(a.card, 1, 4) || ' ' || substr(a.card, 5, 4) || ' '
            || substr(a.card, 9, 4) || ' ' || substr(a.card, 13, 4)
        else substr(a.card, 1, 4) || '-' || substr(a.card, 5, 4) || '-' || substr(a.card, 9, 4) || '-'
            || substr(a.card, 13, 4) end"""
    phone_typed = f"""case when a.archetype = 'split' then false
        when a.has_card then u(a.basket_key, 'phone_asked') < {r.POS_PHONE_WITH_CARD}
        when a.loyalty then u(a.basket_key, 'phone_asked') < {r.POS_PHONE_IF_NO_CARD}
        else u(a.basket_key, 'phone_asked') < {r.POS_PHONE_NON_MEMBER} end"""
    transactions = f"""
    select
        a.transaction_id,
        a.store_id,
        a.country as store_country,
        a.timezone as store_timezone,
        {card} as loyalty_card_number,
        case when not ({phone_typed}) then null
             when u(a.basket_key, 'store_phone') < {r.STORE_DEFAULT_PHONE}
                 then fmt_phone(a.cc, a.store_nsn, a.trunk, a.store_grp, 'nat')
             else {f.phone("a.basket_key", "ph", "till")} end as customer_phone,
        a.currency,
        {basket_total("a.basket_key", lines, "a.currency")}::decimal(12, 2) as total_amount,
        timezone(a.timezone, ts(a.t_sale)::timestamptz) as transacted_at_local,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.transaction_id as _record_id,
        true as _truth
    from pos_base as a
    """
    line_sql = f"""
    with l as (
        select a.transaction_id, a.basket_key, a.currency, a.person_id, unnest(range({lines})) as k
        from pos_base as a
    )
    select
        l.transaction_id || '-' || (l.k + 1) as line_id,
        l.transaction_id,
        {SKUS}[{product("l.basket_key", "l.k")}] as sku,
        {CATEGORIES}[{product("l.basket_key", "l.k")}] as product_category,
        {quantity("l.basket_key", "l.k")}::int as quantity,
        {unit_price("l.basket_key", "l.k", "l.currency")}::decimal(12, 2) as unit_price,
        {ctx.loaded_at} as _loaded_at,
        l.person_id as _person_id,
        l.transaction_id || '-' || (l.k + 1) as _record_id,
        true as _truth
    from l
    """
    return [
        Output("pos.transactions", transactions),
        Output("pos.transaction_lines", line_sql, in_truth=False),
    ]
