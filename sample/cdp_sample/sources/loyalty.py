"""Loyalty programme: member versions (enrolment, points and tier updates, SMS choice)."""

from __future__ import annotations

from cdp_sample import fields as f
from cdp_sample import rates
from cdp_sample.plan import SECOND_SLOT, scrambled
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
        {f.printed_card("a.card", "a.member_id")} as card_number,
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
        a.kind = 0 as _truth,
        false as _probabilistic
    from scored as a
    union all
    {_in_store_enrolment(ctx)}
    """
    return [Output("loyalty.members", sql, probabilistic=True)]


def _in_store_enrolment(ctx: Ctx) -> str:
    """Probabilistic-only members: enrolled at a till with a paper form, giving only a landline (no email),
    their true birth date, postal code and country; a card of their own that no till sale carries.
    """
    slot = f"a.person_id + {SECOND_SLOT}"
    t_enrol = f.between("a.person_id", "t_paper", "a.t_start", "a.t_end")
    landline = ("a.landline_nsn", "a.landline_grp")
    return f"""
    select
        a.id as member_id,
        {f.printed_card("a.paper_card", "a.id")} as card_number,
        null as email,
        {f.phone("a.id", "ph", "till", junk=0.0, nsn=landline)} as phone,
        {f.similar_first_name("a.id")} as first_name,
        {f.similar_last_name("a.id")} as last_name,
        a.birth_date,
        {f.country_given("a.id", "co")} as country,
        {f.postal("a.id", "zip")} as postal_code,
        'bronze' as tier,
        floor(u(a.id, 'points0') * 300)::int as points_balance,
        false as sms_opt_in,  -- a landline takes no texts
        ts(a.t_paper) as enrolled_at,
        ts(a.t_paper) as updated_at,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.id::varchar as _record_id,
        true as _truth,
        true as _probabilistic
    from (
        select a.*, 100000 + {scrambled(slot, "loyalty_member")} as id,
            '77' || lpad({scrambled(slot, "loyalty_card")}::varchar, 14, '0') as paper_card,
            {t_enrol} as t_paper
        from prob_actors as a where a.prob_system = 'loyalty'
    ) as a
    """
