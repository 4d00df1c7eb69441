"""Shop (Shopify-like): customer accounts, orders, order lines and checkouts.

Orders are made once into a temp table (shop_order_base) that orders, order lines and completed
checkouts all read, so an order, its lines and its checkout agree.
"""

from __future__ import annotations

from cdp_sample import fields as f
from cdp_sample import rates
from cdp_sample.plan import DAY, ID_SPAN, scrambled
from cdp_sample.reference import SHOP_TIMEZONE
from cdp_sample.sources import Ctx, Output
from cdp_sample.sources.catalog import (
    CATEGORIES,
    IDS,
    SKUS,
    TITLES,
    basket_total,
    product,
    quantity,
    unit_price,
)
from cdp_sample.sql import urn

TZ = f"'{SHOP_TIMEZONE}'"
_DEVICE = urn({"desktop": 55, "mobile": 38, "tablet": 7})
_STATE = urn({"enabled": 85, "invited": 5, "disabled": 7, "declined": 3})
_CROSS_DEVICE_ORDER = "(a.cross_device and a.n_abandoned > 0 and j = 0)"


def _iso(t: str) -> str:
    return f"iso_tz({t}, {TZ})"


def _checkout_id(ctx: Ctx, slot: str) -> str:
    return f"30000000000000 + {ctx.batch} * {ID_SPAN} + {scrambled(slot, 'shop_checkout')}"


def prepare(ctx: Ctx) -> list[str]:
    order_id = f"5000000000000 + {ctx.batch} * {ID_SPAN} + {scrambled('a.person_id * 64 + j', 'shop_order')}"
    checkout_id = _checkout_id(ctx, "a.person_id * 64 + j")
    return [
        f"""
        create or replace temp table shop_order_base as
        with o as (
            select a.*, unnest(range(a.n_orders)) as j from actors as a where a.n_orders > 0
        ),
        keyed as (
            select a.*, {order_id} as order_id, {checkout_id} as checkout_id,
                {_CROSS_DEVICE_ORDER} as is_cross_device
            from o as a
        ),
        timed as (
            select *,
                case when is_cross_device
                     then least(t_cross + 3600 * (1 + 71 * u(order_id, 'delay')), t_hi - 1)
                     else {f.between("order_id", "t", "t_lo", "t_hi")} end as t_order
            from keyed
        )
        select *,
            not shop_account or (not logged_in and (t_order < t_shop
                or u(order_id, 'guest') < {rates.GUEST_ORDER_BY_ACCOUNT_HOLDER})) as is_guest,
            {f.count(rates.ORDER_LINES, "order_id", "n_lines")} as n_lines,
            pick({urn(rates.ORDER_STATUS)}, u(order_id, 'status')) as final_status,
            case when is_cross_device then 'web'
                 when app and u(order_id, 'source') < 0.4
                     then (case when u(person_id, 'ios') < 0.55 then 'iphone' else 'android' end)
                 else 'web' end as source_name,
            t_order + least(20 * {DAY} * u(order_id, 'v2'), (t_hi - t_order) * 0.9) as t_final
        from timed
        """
    ]


def outputs(ctx: Ctx) -> list[Output]:
    return [_customers(ctx), _orders(ctx), _order_lines(ctx), _checkouts(ctx)]


def _flip(salt: str, rate: float) -> str:
    """When a person reverses their first consent choice (NULL: never), after the account opened."""
    when = f.between("a.person_id", f"{salt}_t", "a.t_shop", "a.t_end")
    return f"case when u(a.person_id, '{salt}') < {rate} then {when} end"


def _customers(ctx: Ctx) -> Output:
    r = rates
    missing = {field: r.MISSING[f"shop.customers.{field}"] for field in ("phone", "name", "zip")}
    # Consent: a first choice when the account opens, sometimes reversed once later (opt-out after opt-in).
    em_flip = _flip("em_flip", r.CONSENT_CHANGED_LATER)
    sms_flip = _flip("sms_flip", r.CONSENT_CHANGED_LATER)
    # Versions of an account: opened, email changed, consent changed, updated (batches), and a duplicate.
    versions = """list_filter([
        case when a.emit_profiles then {'v': 'create', 't': a.t_shop} end,
        case when a.emit_profiles and a.t_email_change > a.t_shop and a.t_email_change < a.t_end
             then {'v': 'email', 't': a.t_email_change} end,
        case when a.emit_profiles and em_flip < a.t_end then {'v': 'consent', 't': em_flip} end,
        case when a.emit_profiles and sms_flip < a.t_end then {'v': 'consent', 't': sms_flip} end,
        case when a.t_update is not null then {'v': 'update', 't': a.t_update} end,
        case when a.emit_profiles and a.shop_dup then {'v': 'duplicate', 't': t_dup} end
    ], lambda x: x is not null)"""
    sql = f"""
    with a as (
        select a.*, {em_flip} as em_flip, {sms_flip} as sms_flip,
            {f.between("a.person_id", "t_dup", "a.t_shop", "a.t_end")} as t_dup
        from actors as a
        where a.shop_account and (a.emit_profiles or a.t_update is not null)
    ),
    v as (
        select a.*, unnest({versions}) as ver from a
    ),
    rows as (
        select a.*, ver.v as kind, ver.t as vt,
            case when ver.v = 'duplicate' then a.shop_dup_id else a.shop_id end as id,
            (u(a.person_id, 'em_opt') < {r.EMAIL_MARKETING_OPT_IN})
                != coalesce(a.em_flip <= ver.t, false) as em_ok,
            (u(a.person_id, 'sms_opt') < {r.SMS_MARKETING_OPT_IN})
                != coalesce(a.sms_flip <= ver.t, false) as sms_ok
        from v as a
    )
    select
        a.id,
        case when a.kind = 'duplicate' then
                 -- the second account: the same mailbox written differently (gmail dots or a +tag), never
                 -- as the first account writes it (the shop keeps one account per email)
                 (case when is_gmail(a.email_1) and u(a.id, 'dupv') < 0.6
                            and not {f.uses_gmail_variant("a.shop_id", "em")} then gmail_variant(a.email_1)
                       else second_tag(a.email_1, u(a.id, 'tag')) end)
             when a.extra_email is not null then a.extra_email
             else {f.email(f.email_at("a.vt"), "a.id", "em", junk=0.0)} end as email,
        -- one account per phone too, and only valid numbers: no junk, none on the second account
        case when a.kind <> 'duplicate' then
            {f.phone("a.id", "ph", "customer_typed", missing["phone"], present="a.force_phone", junk=0.0)}
        end as phone,
        {f.name("a.first_name", "a.id", "fn", missing["name"], nickname="a.nickname")} as first_name,
        {f.name("a.last_name", "a.id", "ln", missing["name"])} as last_name,
        {f.country("a.id", "co")} as country,
        {f.postal("a.id", "zip", missing["zip"])} as zip,
        case when a.kind = 'duplicate' then 'enabled' else pick({_STATE}, u(a.id, 'state')) end as state,
        a.em_ok as accepts_email_marketing,
        {_iso("case when a.em_flip <= a.vt then a.em_flip else a.t_shop end")}
            as email_marketing_consent_updated_at,
        a.sms_ok as accepts_sms_marketing,
        {_iso("case when a.sms_flip <= a.vt then a.sms_flip else a.t_shop end")}
            as sms_marketing_consent_updated_at,
        {_iso("case when a.kind = 'duplicate' then a.t_dup else a.t_shop end")} as created_at,
        {_iso("a.vt")} as updated_at,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.id::varchar as _record_id,
        a.kind in ('create', 'duplicate') as _truth
    from rows as a
    """
    return Output("shop.customers", sql)


def _orders(ctx: Ctx) -> Output:
    r = rates
    # Guest orders always carry an email: it is all that identifies them.
    email_missing = f"case when a.is_guest then 0 else {r.MISSING['shop.orders.email']} end"
    versions = """case when final_status in ('refunded', 'partially_refunded', 'voided')
        then [{'v': 0, 't': t_order}, {'v': 1, 't': t_final}] else [{'v': 0, 't': t_order}] end"""
    sql = f"""
    with v as (
        select *, unnest({versions}) as ver from shop_order_base
    )
    select
        a.order_id as id,
        case when a.is_guest then null else a.shop_id end as customer_id,
        {f.email(f.email_at("a.t_order"), "a.order_id", "em", email_missing)} as email,
        case when a.archetype = 'split' then null
             else {f.phone("a.order_id", "ph", "customer_typed", r.MISSING["shop.orders.phone"])} end
            as phone,
        {f.name("a.first_name", "a.order_id", "fn", nickname="a.nickname")} as billing_first_name,
        {f.name("a.last_name", "a.order_id", "ln")} as billing_last_name,
        {f.country("a.order_id", "co")} as billing_country,
        {f.postal("a.order_id", "zip")} as billing_zip,
        a.checkout_id,
        a.source_name,
        case when a.ver.v = 1 then a.final_status
             when a.final_status = 'pending' then 'pending' else 'paid' end as financial_status,
        a.currency,
        {f.money(basket_total("a.order_id", "a.n_lines", "a.currency"))} as total_price,
        {_iso("a.t_order")} as created_at,
        case when a.ver.v = 1 and a.final_status = 'voided' then {_iso("a.t_final")} end as cancelled_at,
        {_iso("a.ver.t")} as updated_at,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.order_id::varchar as _record_id,
        a.ver.v = 0 as _truth
    from v as a
    """
    return Output("shop.orders", sql)


def _order_lines(ctx: Ctx) -> Output:
    sql = f"""
    with l as (
        select order_id, currency, person_id, unnest(range(n_lines)) as k from shop_order_base
    )
    select
        l.order_id * 10 + l.k as id,
        l.order_id,
        {IDS}[{product("l.order_id", "l.k")}] as product_id,
        {SKUS}[{product("l.order_id", "l.k")}] as sku,
        {TITLES}[{product("l.order_id", "l.k")}] as title,
        {CATEGORIES}[{product("l.order_id", "l.k")}] as product_type,
        {quantity("l.order_id", "l.k")}::int as quantity,
        {f.money(unit_price("l.order_id", "l.k", "l.currency"))} as price,
        {ctx.loaded_at} as _loaded_at,
        l.person_id as _person_id,
        (l.order_id * 10 + l.k)::varchar as _record_id,
        true as _truth
    from l
    """
    return Output("shop.order_lines", sql, in_truth=False)


def _checkouts(ctx: Ctx) -> Output:
    r = rates
    completed = f"""
        select
            a.*,
            a.checkout_id as id,
            a.t_order - 60 * (5 + 25 * u(a.checkout_id, 'dur')) as t_created,
            case when a.source_name in ('iphone', 'android') then 'mobile'
                 when a.is_cross_device then 'desktop'
                 else pick({_DEVICE}, u(a.checkout_id, 'dev')) end as device_type,
            case when a.is_guest then null else a.shop_id end as customer_id,
            {basket_total("a.order_id", "a.n_lines", "a.currency")} as total,
            a.t_order as t_completed,
            false as email_required,
            unnest(case when u(a.checkout_id, 'v2') < {r.CHECKOUT_TWO_VERSIONS} then [0, 1] else [1] end)
                as ver
        from shop_order_base as a
    """
    abandoned_id = _checkout_id(ctx, "a.person_id * 64 + 32 + j")
    abandoned_lines = f.count(rates.ORDER_LINES, abandoned_id, "n_lines")
    abandoned = f"""
        select
            a.*,
            {abandoned_id} as id,
            case when {_CROSS_DEVICE_ORDER} and a.n_orders > 0 then a.t_cross
                 else {f.between(f"({abandoned_id})", "t", "a.t_lo", "a.t_hi")} end as t_created,
            case when {_CROSS_DEVICE_ORDER} and a.n_orders > 0 then 'mobile'
                 else pick({_DEVICE}, u({abandoned_id}, 'dev')) end as device_type,
            case when a.shop_account and not ({_CROSS_DEVICE_ORDER} and a.n_orders > 0)
                      and u({abandoned_id}, 'login') < 0.6 then a.shop_id end as customer_id,
            {basket_total(abandoned_id, abandoned_lines, "a.currency")} as total,
            null::double as t_completed,
            {_CROSS_DEVICE_ORDER} and a.n_orders > 0 as email_required,
            0 as ver
        from (select a.*, unnest(range(a.n_abandoned)) as j from actors as a where a.n_abandoned > 0) as a
    """
    columns = """id, person_id, customer_id, t_created, t_completed, device_type, total, currency,
        email_required, ver, email_1, email_2, t_email_change, cc, nsn, trunk, grp, archetype, t_shop"""
    email_missing = f"case when a.email_required then 0 else {r.MISSING['shop.checkouts.email']} end"
    updated = "case when a.ver = 1 then a.t_completed else a.t_created + 60 * (1 + 10 * u(a.id, 'upd')) end"
    sql = f"""
    with c as (
        select {columns} from ({completed})
        union all
        select {columns} from ({abandoned})
    )
    select
        a.id,
        hex32(a.id, 0, 'token') as token,
        case when a.customer_id is not null and a.t_created >= a.t_shop then a.customer_id end as customer_id,
        {f.email(f.email_at("a.t_created"), "a.id", "em", email_missing)} as email,
        case when a.archetype = 'split' then null
             else {f.phone("a.id", "ph", "customer_typed", r.MISSING["shop.checkouts.phone"])} end as phone,
        a.device_type,
        a.currency,
        {f.money("a.total")} as total_price,
        {_iso("a.t_created")} as created_at,
        {_iso(updated)} as updated_at,
        case when a.ver = 1 then {_iso("a.t_completed")} end as completed_at,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.id::varchar as _record_id,
        a.ver = 1 or a.t_completed is null as _truth
    from c as a
    """
    return Output("shop.checkouts", sql)
