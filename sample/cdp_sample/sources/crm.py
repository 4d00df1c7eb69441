"""CRM (HubSpot-like): contact versions, with duplicate contacts created by imports and forms."""

from __future__ import annotations

from cdp_sample import fields as f
from cdp_sample import rates
from cdp_sample.plan import scrambled
from cdp_sample.reference import COMPANIES, JOB_TITLES
from cdp_sample.sources import Ctx, Output
from cdp_sample.sql import list_lit, urn

_FIRST_STAGE = urn({"subscriber": 40, "lead": 60})
_LATER_STAGE = urn({"opportunity": 25, "customer": 60, "evangelist": 15})


def prepare(ctx: Ctx) -> list[str]:
    return []


def outputs(ctx: Ctx) -> list[Output]:
    r = rates
    t_crm = f.between("a.person_id", "t_crm", "a.t_start", "a.t_end", 1.5)
    t_stage = f.between("a.person_id", "crm_v2t", "t_crm", "a.t_end")
    versions = f"""list_filter([
        case when a.emit_profiles then {{'v': 'create', 't': t_crm, 'id': a.crm_vid}} end,
        case when a.emit_profiles and u(a.person_id, 'crm_v2') < {r.CRM_SECOND_VERSION}
             then {{'v': 'stage', 't': {t_stage}, 'id': a.crm_vid}} end,
        case when a.emit_profiles and a.crm_dup
             then {{'v': 'duplicate', 't': t_dup, 'id': a.crm_dup_vid}} end,
        case when a.t_update is not null then {{'v': 'update', 't': a.t_update, 'id': a.crm_vid}} end
    ], lambda x: x is not null)"""
    # A duplicate is the same person typed differently: an old email (only if the first contact never held
    # it: the CRM keeps one contact per email), a +tag, or no email at all (an import of name and phone),
    # often with a nickname and another phone format.
    duplicate_email = """case when u(a.id, 'dupv') < 0.4 and a.t_email_change <= a.t_crm then a.email_1
        when u(a.id, 'dupv') < 0.7 then second_tag(a.email_1, u(a.id, 'tag'))
        end"""
    # a duplicate imported without an email always has a phone (else nothing would link it)
    phone_present = "a.force_phone or (a.is_dup and u(a.id, 'dupv') >= 0.7)"
    sql = f"""
    with a as (
        select a.*, {t_crm} as t_crm,
            {f.between("a.person_id", "t_crm_dup", t_crm, "a.t_end")} as t_dup
        from actors as a where a.crm and (a.emit_profiles or a.t_update is not null)
    ),
    rows as (
        select a.*, ver.v as kind, ver.t as vt, ver.id as id, ver.id = a.crm_dup_vid as is_dup
        from (select a.*, unnest({versions}) as ver from a) as a
    )
    select
        a.id as vid,
        case when a.is_dup then {duplicate_email}
             when a.kind = 'update' and a.extra_email is not null then a.extra_email
             else {f.email(f.email_at("a.vt"), "a.id", "em", r.MISSING["crm.contacts.email"], junk=0.0)}
        end as email,
        {f.phone("a.id", "ph", "crm", r.MISSING["crm.contacts.phone"], present=phone_present)} as phone,
        case when a.is_dup and a.nickname is not null and u(a.id, 'nick') < 0.4 then a.nickname
             else {f.name("a.first_name", "a.id", "fn", nickname="a.nickname")} end as firstname,
        {f.name("a.last_name", "a.id", "ln")} as lastname,
        case when u(a.id, 'co_m') < {r.MISSING["crm.contacts.company"]} then null
             else pick({list_lit(COMPANIES)}, u(a.person_id, 'company')) end as company,
        case when u(a.id, 'co_m') < {r.MISSING["crm.contacts.company"]} then null
             else pick({list_lit(JOB_TITLES)}, u(a.person_id, 'job')) end as jobtitle,
        {f.country("a.id", "co")} as country,
        {f.postal("a.id", "zip")} as zip,
        case when a.kind in ('create', 'duplicate') then pick({_FIRST_STAGE}, u(a.id, 'stage'))
             else pick({_LATER_STAGE}, u(a.id, 'stage2')) end as lifecyclestage,
        (1000 * case when a.is_dup then a.t_dup else a.t_crm end)::bigint as createdate,
        (1000 * a.vt)::bigint as lastmodifieddate,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.id::varchar as _record_id,
        a.kind in ('create', 'duplicate') as _truth,
        false as _probabilistic
    from rows as a
    union all
    {_business_card(ctx)}
    """
    return [Output("crm.contacts", sql, probabilistic=True)]


def _business_card(ctx: Ctx) -> str:
    """Probabilistic-only contacts: typed from a business card by sales, with the person's work address and
    office line, employer and title, and their postal code and country; no identifier of their other records.
    """
    vid = f"1000 + {scrambled('a.person_id * 4 + 2', 'crm_contact')}"
    t_card = f.between("a.person_id", "t_card", "a.t_start", "a.t_end")
    landline = ("a.landline_nsn", "a.landline_grp")
    return f"""
    select
        a.id as vid,
        {f.work_email("a.work_email", "a.id")} as email,
        {f.phone("a.id", "ph", "crm", junk=0.0, nsn=landline)} as phone,
        {f.similar_first_name("a.id")} as firstname,
        {f.similar_last_name("a.id")} as lastname,
        pick({list_lit(COMPANIES)}, u(a.person_id, 'company')) as company,
        pick({list_lit(JOB_TITLES)}, u(a.person_id, 'job')) as jobtitle,
        {f.country_given("a.id", "co")} as country,
        {f.postal("a.id", "zip")} as zip,
        pick({_FIRST_STAGE}, u(a.id, 'stage')) as lifecyclestage,
        (1000 * a.t_card)::bigint as createdate,
        (1000 * a.t_card)::bigint as lastmodifieddate,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.id::varchar as _record_id,
        true as _truth,
        true as _probabilistic
    from (
        select a.*, {vid} as id, {t_card} as t_card from prob_actors as a
        where a.prob_system = 'crm'
    ) as a
    """
