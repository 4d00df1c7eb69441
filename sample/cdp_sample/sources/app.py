"""Mobile app analytics: events from each app user's phone, and from a household tablet two people share."""

from __future__ import annotations

from cdp_sample import fields as f
from cdp_sample import rates
from cdp_sample.reference import APP_CATEGORIES, APP_VERSIONS
from cdp_sample.sources import Ctx, Output
from cdp_sample.sql import list_lit, urn

_EVENT = urn({"app_open": 35, "product_view": 35, "add_to_cart": 15, "purchase": 5, "push_opt_in": 6,
              "push_opt_out": 4})  # fmt: skip
_HISTORY_SECONDS = rates.HISTORY_DAYS * 86_400.0


def prepare(ctx: Ctx) -> list[str]:
    return []


def outputs(ctx: Ctx) -> list[Output]:
    r = rates
    event_time, copies = f.delivery("a.slot", "a.t_arrival", ctx.t_load, floor="a.t_start")
    started = f.between("a.device", "app_start", "a.t_start", "a.t_end", 1.3)
    phone_logged_in = (
        f"(a.dv = 0 and a.j >= a.login_at and u2(a.slot, {ctx.batch}, 'logged_in') < {r.APP_LOGGED_IN_EVENT})"
    )
    tablet_logged_in = f"(a.dv = 1 and u2(a.slot, {ctx.batch}, 'anonymous') >= {r.TABLET_ANONYMOUS_EVENT})"
    # Newer app versions over time: the version follows the event's place in the history, give or take one.
    age = f"(1 - (a.t_end - a.t_event) / {_HISTORY_SECONDS})"
    n = len(APP_VERSIONS)
    version = f"least({n}, 1 + greatest(0, floor({age} * {n} + u(a.slot, 'ver') - 0.5))::int)"
    # Device 0 is the person's phone, device 1 the household tablet (logged into by two accounts).
    sql = f"""
    with devices as (
        select a.*, 0 as dv, case when u(a.person_id, 'ios') < 0.55 then 'ios' else 'android' end as platform,
            a.n_app_events as n
        from actors as a where a.app and a.n_app_events > 0
        union all
        select a.*, 1 as dv, 'ios' as platform, a.n_tablet_events as n
        from actors as a where a.tablet and a.n_tablet_events > 0
    ),
    windowed as (
        -- history: from when the person started using the device; batches: the batch window
        select a.*,
            case when a.emit_profiles then greatest(a.t_lo, {started}) else a.t_lo end as d_start,
            case when a.emit_profiles then floor(u(a.device, 'login') * a.n)::int else 0 end as login_at
        from (select a.*, a.person_id * 2 + a.dv as device from devices as a) as a
    ),
    events as (
        select a.*, a.device * 64 + j as slot,
            a.d_start + (a.t_hi - a.d_start) * (j + u2(a.device * 64 + j, {ctx.batch}, 'jit')) / a.n
                as t_arrival
        from (select a.*, unnest(range(a.n)) as j from windowed as a) as a
    ),
    shaped as (
        select a.*, {event_time} as t_event, uuid_of(a.slot, {ctx.batch}, 'app') as record_id,
            pick({_EVENT}, u2(a.slot, {ctx.batch}, 'event')) as event_name,
            unnest({copies}) as delivery
        from events as a
    )
    select
        a.record_id as event_id,
        case when a.dv = 1 then upper(uuid_of(a.household_id, 0, 'tablet'))
             when a.platform = 'ios' then upper(uuid_of(a.person_id, 0, 'idfv'))
             else substr(hex32(a.person_id, 0, 'android_id'), 1, 16) end as device_id,
        case when a.shop_account and ({phone_logged_in} or {tablet_logged_in}) then a.shop_id::varchar end
            as user_id,
        a.event_name,
        a.platform,
        {list_lit(APP_VERSIONS)}[{version}] as app_version,
        case when a.event_name in ('product_view', 'add_to_cart', 'purchase')
             then pick({list_lit(APP_CATEGORIES)}, u(a.slot, 'cat')) end as product_category,
        round(a.t_event, 3) as event_ts,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.record_id as _record_id,
        a.delivery.copy = 0 as _truth
    from shaped as a
    """
    return [Output("app.events", sql)]
