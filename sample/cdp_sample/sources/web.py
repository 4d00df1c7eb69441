"""Web analytics (Segment/GA4-like): page, track and identify calls from first-party cookies.

Each cookie is anonymous until (for most cookies) an identify call carries the shop customer id and/or the
email; later calls from a logged-in cookie carry the user_id. Delivery is at least once and sometimes late.
"""

from __future__ import annotations

from cdp_sample import fields as f
from cdp_sample import rates
from cdp_sample.plan import DAY
from cdp_sample.reference import APP_CATEGORIES, COMPANY_WEB_HOST, WEB_PATHS
from cdp_sample.sources import Ctx, Output
from cdp_sample.sql import list_lit, urn

_DEVICE = urn({"desktop": 50, "mobile": 42, "tablet": 8})
_PAGE_OR_TRACK = urn(
    {"page": 55, "Product Viewed": 25, "Product Added": 10, "Checkout Started": 5, "Order Completed": 5}
)


def prepare(ctx: Ctx) -> list[str]:
    return []


def outputs(ctx: Ctx) -> list[Output]:
    r = rates
    event_time, copies = f.delivery("a.slot", "a.t_arrival", ctx.t_load, floor="a.t_start")
    sql = f"""
    with cookies as (
        select a.*, a.person_id * 1000 + case when a.new_cookie > 0 then 100 + a.new_cookie else c end as ck
        from (select a.*, unnest(range(a.n_cookies)) as c from actors as a where a.n_cookies > 0) as a
    ),
    shaped as (
        select a.*,
            case when a.web_continue then a.t_lo
                 else {f.between("a.ck", "start", "a.t_lo", "a.t_hi", 1.3)} end as c_start,
            case when a.web_continue then 1 + floor(3 * u2(a.ck, {ctx.batch}, 'n'))::int
                 else {f.count(r.WEB_EVENTS_PER_COOKIE, "a.ck", "n")} end as n_ev,
            a.new_cookie > 0 or u(a.ck, 'identified') < {r.WEB_IDENTIFIED_COOKIE} as identified,
            a.shop_account and u(a.ck, 'with_user') < 0.8 as with_user,
            not a.web_continue and u(a.ck, 'banner') < {r.WEB_CONSENT_BANNER} as banner,
            u(a.ck, 'ads') < {r.WEB_ADS_CONSENT} as ads0
        from cookies as a
    ),
    lived as (
        select a.*,
            case when a.web_continue then a.t_hi
                 else least(a.t_hi, a.c_start + 90 * {DAY} * (0.02 + u(a.ck, 'span'))) end as c_end,
            floor(u(a.ck, 'identify_at') * a.n_ev)::int as id_idx,
            not a.with_user or a.new_cookie > 0
                or u(a.ck, 'with_email') < {r.WEB_IDENTIFY_WITH_EMAIL} as with_email,
            a.banner and a.n_ev >= 3 and u(a.ck, 'ads_flip') < {r.WEB_CONSENT_CHANGED_LATER} as ads_flip
        from shaped as a
    ),
    events as (
        select a.*, a.ck * 64 + j as slot,
            a.c_start + (a.c_end - a.c_start) * (j + u2(a.ck * 64 + j, {ctx.batch}, 'jit')) / a.n_ev
                as t_arrival
        from (select a.*, unnest(range(a.n_ev)) as j from lived as a) as a
    ),
    kinds as (
        select a.*, {event_time} as t_event, uuid_of(a.slot, {ctx.batch}, 'msg') as record_id,
            case when a.identified and not a.web_continue and a.j = a.id_idx then 'identify'
                 when a.banner and a.j = 0 then 'Consent Updated'
                 when a.ads_flip and a.j = a.n_ev - 1 then 'Consent Changed'
                 else pick({_PAGE_OR_TRACK}, u2(a.slot, {ctx.batch}, 'kind')) end as kind,
            unnest({copies}) as delivery
        from events as a
    )
    select
        a.record_id as message_id,
        case when a.kind in ('identify', 'page') then a.kind else 'track' end as type,
        case when a.kind = 'Consent Changed' then 'Consent Updated'
             when a.kind in ('identify', 'page') then null else a.kind end as event,
        uuid_of(a.ck, 0, 'anon') as anonymous_id,
        case when a.identified and a.with_user and (a.web_continue or a.j >= a.id_idx)
             then a.shop_id::varchar end as user_id,
        case when a.kind = 'identify' and a.with_email then
             {f.email(f"coalesce(a.extra_email, {f.email_at('a.t_event')})", "a.slot", "em")} end as email,
        '{COMPANY_WEB_HOST}' || case
            when a.kind like 'Product%' then '/products/item-' || (1 + floor(u(a.slot, 'item') * 400))::int
            when a.kind in ('Checkout Started', 'Order Completed') then '/checkout'
            else pick({list_lit(WEB_PATHS)}, u(a.slot, 'path')) end as page_url,
        pick({_DEVICE}, u(a.ck, 'device')) as device_type,
        case when a.kind like 'Product%' then pick({list_lit(APP_CATEGORIES)}, u(a.slot, 'cat')) end
            as product_category,
        case when a.kind = 'Consent Updated' then a.ads0 when a.kind = 'Consent Changed' then not a.ads0 end
            as ads_consent,
        iso_z(a.t_event) as original_timestamp,
        ts(a.t_arrival + a.delivery.after) as received_at,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.record_id as _record_id,
        a.delivery.copy = 0 as _truth
    from kinds as a
    """
    return [Output("web.events", sql)]
