"""Loyalty programme: member versions (enrolment, points and tier updates, SMS choice)."""

from __future__ import annotations

from cdp_sample import fields as f
from cdp_sample import rates
from cdp_sample.sources import Ctx, Output


def prepare(ctx: Ctx) -> list[str]:
    return []


def outputs(ctx: Ctx) -> list[Output]:
    r = rates
    opted_in = f"u(a.person_id, 'l_sms') < {r.LOYALTY_SMS_OPT_IN}"
    opts_out = f"u(a.person_id, 'l_sms_out') < {r.LOYALTY_SMS_OPT_OUT_LATER}"
    opt_out_at = f.between("a.person_id", "l_sms_out_t", "a.t_enrol", "a.t_end")
    sms_out = f"case when {opted_in} and {opts_out} then {opt_out_at} end"
    versions = f"""list_filter([
        case when a.emit_profiles then {{'v': 0, 't': a.t_enrol}} end,
        case when a.emit_profiles and u(a.person_id, 'l_v2') < {r.LOYALTY_SECOND_VERSION}
             then {{'v': 1, 't': {f.between("a.person_id", "l_v2t", "a.t_enrol", "a.t_end")}}} end,
        case when a.emit_profiles and a.sms_out < a.t_end then {{'v': 2, 't': a.sms_out}} end,
        case when a.t_update is not null then {{'v': 3, 't': a.t_update}} end
    ], lambda x: x is not null)"""
    # Points: a welcome bonus, then a steady person-specific earning rate per day of membership.
    points = (
        "floor(u(a.person_id, 'points0') * 300 + (a.vt - a.t_enrol) / 86400 * 4 * u(a.person_id, 'spend'))"
    )
    # Members sharing a family mailbox give it here; split people gave only their phone.
    true_email = f"coalesce(a.family_email, {f.email_at('a.vt')})"
    sql = f"""
    with a as (
        select a.*, {sms_out} as sms_out from actors as a
        where a.loyalty and (a.emit_profiles or a.t_update is not null)
    ),
    rows as (
        select a.*, ver.v as kind, ver.t as vt from (select a.*, unnest({versions}) as ver from a) as a
    ),
    scored as (
        select a.*, {points}::int as points from rows as a
    )
    select
        a.member_id,
        case when u(a.member_id, 'card_f') < 0.7
             then substr(a.card, 1, 4) || ' ' || substr(a.card, 5, 4) || ' ' || substr(a.card, 9, 4) || ' '
                  || substr(a.card, 13, 4)
             else substr(a.card, 1, 4) || '-' || substr(a.card, 5, 4) || '-' || substr(a.card, 9, 4) || '-'
                  || substr(a.card, 13, 4) end as card_number,
        case when a.archetype = 'split' then null
             else {f.email(true_email, "a.member_id", "em", r.MISSING["loyalty.members.email"])} end as email,
        {
        f.phone(
            "a.member_id",
            "ph",
            "customer_typed",
            r.MISSING["loyalty.members.phone"],
            present="a.archetype = 'split' or a.force_phone",
        )
    } as phone,
        {f.name("a.first_name", "a.member_id", "fn", nickname="a.nickname")} as first_name,
        {f.name("a.last_name", "a.member_id", "ln")} as last_name,
        case when u(a.member_id, 'bd_m') < {r.MISSING["loyalty.members.birth_date"]} then null
             else a.birth_date end as birth_date,
        {f.country("a.member_id", "co")} as country,
        {f.postal("a.member_id", "zip")} as postal_code,
        case when a.points < 500 then 'bronze' when a.points < 1500 then 'silver'
             when a.points < 4000 then 'gold' else 'platinum' end as tier,
        a.points as points_balance,
        u(a.person_id, 'l_sms') < {
        r.LOYALTY_SMS_OPT_IN
    } and not coalesce(a.sms_out <= a.vt, false) as sms_opt_in,
        ts(a.t_enrol) as enrolled_at,
        ts(a.vt) as updated_at,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.member_id::varchar as _record_id,
        a.kind = 0 as _truth
    from scored as a
    """
    return [Output("loyalty.members", sql)]
