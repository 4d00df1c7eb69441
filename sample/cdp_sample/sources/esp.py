"""Email/SMS platform (Klaviyo-like): profile versions, engagement events and subscription changes."""

from __future__ import annotations

from cdp_sample import fields as f
from cdp_sample import rates
from cdp_sample.reference import CAMPAIGNS
from cdp_sample.sources import Ctx, Output
from cdp_sample.sql import list_lit, urn

_METRIC = urn({"Received Email": 50, "Opened Email": 28, "Clicked Email": 10, "Received SMS": 12})
_UNSUBSCRIBE_METHOD = urn({"unsubscribe_link": 80, "bounce": 10, "api": 10})


def _name_missing() -> str:
    """How often a profile lacks the name: never when a household member signs up with the family email."""
    return (
        f"(case when a.family_email is not null and a.kind <> 'duplicate' "
        f"then {rates.FAMILY_SIGNUP_NAME_MISSING} else {rates.MISSING['esp.profiles.name']} end)"
    )


def prepare(ctx: Ctx) -> list[str]:
    r = rates
    # Per ESP person: the profile they act on and the consent timeline every ESP table agrees on. The ESP
    # keeps one profile per email: a household member using the head's email acts on the head's profile
    # (esp_shared; its rows belong to the head, the profile owner), and that profile stays on the family
    # mailbox. A second profile (esp_dup) always holds an address the main profile never holds.
    main_fixed = """case when a.family_email is not null then a.family_email
        when a.esp_family_head then a.email_1
        when a.esp_dup and a.t_email_change > a.t_esp then a.email_1 end"""
    return [
        f"""
        create or replace temp table esp_base as
        with a as (
            select a.*,
                case when a.esp_shared then a.household_id else a.person_id end as owner_id,
                case when a.esp_shared then ulid_of(a.head_t_esp, a.household_id, 0, 'esp')
                     else ulid_of(a.t_esp, a.person_id, 0, 'esp') end as profile_id,
                -- when the person starts acting on the profile (a shared one exists from the head's sign-up)
                case when a.esp_shared then greatest(a.t_esp, a.head_t_esp) else a.t_esp end as t_act,
                case when a.t_email_change > a.t_esp
                     then least(a.t_email_change + 30 * 86400 * u(a.person_id, 'esp_dup_t'), a.t_end - 1)
                     else {f.between("a.person_id", "esp_dup_t", "a.t_esp", "a.t_end")} end as t_dup,
                -- the address the main profile keeps whatever happens (NULL: it follows the person's email)
                {main_fixed} as fixed_email
            from actors as a where a.esp
        ),
        b as (
            select a.* replace (a.esp_sms and not a.esp_shared as esp_sms),
                case when a.esp_dup then ulid_of(a.t_dup, a.person_id, 1, 'esp') end as dup_profile_id,
                -- a second profile: the family member's own address, the address the main profile does not
                -- hold (new or old), or a +tag variant of the only one
                case when a.family_email is not null then {f.email_at("a.t_dup")}
                     when a.email_2 is null then second_tag(a.email_1, u(a.person_id, 'esp_dup_tag'))
                     when a.fixed_email = a.email_1 then a.email_2
                     else a.email_1 end as dup_email,
                case when u(a.person_id, 'unsub') < {r.ESP_EMAIL_UNSUBSCRIBE}
                     then {f.between("a.person_id", "unsub_t", "a.t_act", "a.t_end")} end as t_unsub
            from a
        )
        select a.*,
            case when a.t_unsub is not null and u(a.person_id, 'resub') < {r.ESP_RESUBSCRIBE}
                 then {f.between("a.person_id", "resub_t", "a.t_unsub", "a.t_end")} end as t_resub,
            case when a.esp_sms and u(a.person_id, 'stop') < {r.ESP_SMS_STOP}
                 then {f.between("a.person_id", "stop_t", "a.t_act", "a.t_end")} end as t_stop,
            -- the person's own profile rows: not when they act on the head's
            a.emit_profiles and not a.esp_shared as emit_main
        from b as a
        """
    ]


def outputs(ctx: Ctx) -> list[Output]:
    return [_profiles(ctx), _events(ctx), _subscriptions(ctx)]


def _profile_email(t: str) -> str:
    return f"coalesce(a.fixed_email, {f.email_at(t)})"


def _profiles(ctx: Ctx) -> Output:
    r = rates
    versions = f"""list_filter([
        case when a.emit_main then {{'v': 'create', 't': a.t_esp}} end,
        case when a.emit_main and a.fixed_email is null and a.t_email_change > a.t_esp
                  and a.t_email_change < a.t_end
             then {{'v': 'email', 't': a.t_email_change}} end,
        case when a.emit_main and u(a.person_id, 'esp_v2') < {r.ESP_SECOND_VERSION}
             then {{'v': 'update', 't': {f.between("a.person_id", "esp_v2t", "a.t_esp", "a.t_end")}}} end,
        case when a.emit_profiles and a.esp_dup then {{'v': 'duplicate', 't': a.t_dup}} end,
        case when a.t_update is not null and not a.esp_shared then {{'v': 'update', 't': a.t_update}} end
    ], lambda x: x is not null)"""
    # The ESP validates phones and keeps one profile per phone: no junk, and none on a second profile.
    phone = f.phone(
        "a.key",
        "ph",
        "esp",
        f"case when a.esp_sms then 0 else {r.MISSING['esp.profiles.phone']} end",
        present="a.force_phone",
        junk=0.0,
    )
    sql = f"""
    with rows as (
        select a.*, ver.v as kind, ver.t as vt,
            case when ver.v = 'duplicate' then a.dup_profile_id else a.profile_id end as id,
            hash(a.person_id, ver.v = 'duplicate') as key
        from (select a.*, unnest({versions}) as ver from esp_base as a
              where a.emit_profiles or a.t_update is not null) as a
    )
    select
        a.id,
        case when a.kind = 'duplicate' then a.dup_email
             when a.kind = 'update' and a.extra_email is not null then a.extra_email
             else {f.email(_profile_email("a.vt"), "a.key", "em", junk=0.0)} end as email,
        case when a.kind <> 'duplicate' then {phone} end as phone_number,
        {f.name("a.first_name", "a.key", "fn", _name_missing(), nickname="a.nickname")} as first_name,
        {f.name("a.last_name", "a.key", "ln", _name_missing())} as last_name,
        case when u(a.key, 'co_m') < {r.MISSING["esp.profiles.country"]} then null
             else {f.country("a.key", "co")} end as country,
        iso_utc(case when a.kind = 'duplicate' then a.t_dup else a.t_esp end) as created,
        iso_utc(a.vt) as updated,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.id as _record_id,
        a.kind in ('create', 'duplicate') as _truth
    from rows as a
    """
    return Output("esp.profiles", sql)


def _events(ctx: Ctx) -> Output:
    event_time, copies = f.delivery("a.slot", "a.t_arrival", ctx.t_load, floor="a.t_act")
    sent_at = f.between(
        f"hash(a.person_id * 64 + j, {ctx.batch})", "t", "greatest(a.t_lo, a.t_act)", "a.t_hi"
    )
    sql = f"""
    with sent as (
        select a.*, a.person_id * 64 + j as slot,
            {sent_at} as t_arrival,
            pick({_METRIC}, u2(a.person_id * 64 + j, {ctx.batch}, 'metric')) as drawn
        from (select a.*, unnest(range(a.n_esp_events)) as j from esp_base as a where a.n_esp_events > 0) as a
    ),
    unsubscribed as (
        select a.*, a.person_id * 64 + 63 as slot, a.t_unsub + 5 as t_arrival, 'Unsubscribed' as drawn
        from esp_base as a where a.emit_profiles and a.t_unsub is not null
    ),
    events as (
        select owner_id, profile_id, esp_sms, t_act, slot, t_arrival, drawn from sent
        union all select owner_id, profile_id, esp_sms, t_act, slot, t_arrival, drawn from unsubscribed
    ),
    shaped as (
        select a.*, {event_time} as t_event, unnest({copies}) as delivery,
            uuid_of(a.slot, {ctx.batch}, 'esp_event') as record_id,
            case when a.drawn = 'Received SMS' and not a.esp_sms then 'Received Email' else a.drawn end
                as metric
        from events as a
    )
    select
        a.record_id as id,
        a.profile_id,
        a.metric,
        case when a.metric = 'Received SMS' then 'sms' else 'email' end as channel,
        pick({list_lit(CAMPAIGNS)}, u2(a.slot, {ctx.batch}, 'campaign')) as campaign_id,
        iso_utc(a.t_event) as event_time,
        {ctx.loaded_at} as _loaded_at,
        a.owner_id as _person_id,
        a.record_id as _record_id,
        a.delivery.copy = 0 as _truth
    from shaped as a
    """
    return Output("esp.events", sql)


def _subscriptions(ctx: Ctx) -> Output:
    changes = f"""list_filter([
        case when a.emit_profiles then {{'n': 0, 'ch': 'email', 'c': 'SUBSCRIBED',
            'm': case when u(a.person_id, 'sub_m') < 0.7 then 'form' else 'api' end,
            't': a.t_act, 'dup': false}} end,
        case when a.emit_profiles and a.t_unsub is not null then {{'n': 1, 'ch': 'email', 'c': 'UNSUBSCRIBED',
            'm': pick({_UNSUBSCRIBE_METHOD}, u(a.person_id, 'unsub_m')), 't': a.t_unsub, 'dup': false}} end,
        case when a.emit_profiles and a.t_resub is not null then {{'n': 2, 'ch': 'email', 'c': 'SUBSCRIBED',
            'm': 'form', 't': a.t_resub, 'dup': false}} end,
        case when a.emit_profiles and a.esp_sms then {{'n': 3, 'ch': 'sms', 'c': 'SUBSCRIBED',
            'm': 'form', 't': a.t_act + 60, 'dup': false}} end,
        case when a.emit_profiles and a.t_stop is not null then {{'n': 4, 'ch': 'sms', 'c': 'UNSUBSCRIBED',
            'm': 'stop_keyword', 't': a.t_stop, 'dup': false}} end,
        case when a.emit_profiles and a.esp_dup then {{'n': 5, 'ch': 'email', 'c': 'SUBSCRIBED',
            'm': 'form', 't': a.t_dup, 'dup': true}} end,
        case when a.t_unsubscribe is not null then {{'n': 6, 'ch': 'email', 'c': 'UNSUBSCRIBED',
            'm': 'unsubscribe_link', 't': a.t_unsubscribe, 'dup': false}} end
    ], lambda x: x is not null)"""
    sql = f"""
    with rows as (
        select a.*, unnest({changes}) as x from esp_base as a
    )
    select
        uuid_of(a.person_id * 16 + a.x.n, {ctx.batch}, 'subscription') as id,
        case when a.x.dup then a.dup_profile_id else a.profile_id end as profile_id,
        case when a.x.dup then a.dup_email else {_profile_email("a.x.t")} end as email,
        case when not a.x.dup and (a.x.ch = 'sms' or a.esp_sms) then a.phone_e164 end as phone_number,
        a.x.ch as channel,
        a.x.c as consent,
        a.x.m as method,
        iso_utc(a.x.t) as consented_at,
        {ctx.loaded_at} as _loaded_at,
        case when a.x.dup then a.person_id else a.owner_id end as _person_id,
        uuid_of(a.person_id * 16 + a.x.n, {ctx.batch}, 'subscription') as _record_id,
        true as _truth
    from rows as a
    """
    return Output("esp.subscriptions", sql)
