"""Helpdesk (Zendesk-like): ticket versions; requesters are known only by what they wrote in."""

from __future__ import annotations

from cdp_sample import fields as f
from cdp_sample import rates
from cdp_sample.plan import ID_SPAN, scrambled
from cdp_sample.reference import TICKET_SUBJECTS
from cdp_sample.sources import Ctx, Output
from cdp_sample.sql import list_lit, urn

_CHANNEL = urn({"email": 50, "web": 25, "phone": 15, "chat": 10})
_PRIORITY = urn({"low": 20, "normal": 60, "high": 15, "urgent": 5})


def prepare(ctx: Ctx) -> list[str]:
    return []


def outputs(ctx: Ctx) -> list[Output]:
    r = rates
    ticket_id = f"100000 + {ctx.batch} * {ID_SPAN} + {scrambled('a.person_id * 16 + j', 'support_ticket')}"
    phone_missing = r.MISSING["support.tickets.phone_other_channels"]
    first = f.name("a.first_name", "a.id", "fn", nickname="a.nickname")
    last = f.name("a.last_name", "a.id", "ln")
    sql = f"""
    with t as (
        select a.*, {ticket_id} as id
        from (select a.*, unnest(range(a.n_tickets)) as j from actors as a where a.n_tickets > 0) as a
    ),
    shaped as (
        select a.*,
            {f.between("a.id", "t", "a.t_lo", "a.t_hi")} as t_created,
            case when a.extra_email is not null then 'email' else pick({_CHANNEL}, u(a.id, 'channel')) end
                as channel
        from t as a
    ),
    solved as (
        select a.*, case when u(a.id, 'solved') < {r.TICKET_SOLVED}
            then a.t_created + least(3600 * (1 + 119 * u(a.id, 'solve_d')), (a.t_hi - a.t_created) * 0.95) end
            as t_solved
        from shaped as a
    ),
    rows as (
        select a.*, unnest(case when a.t_solved is null then [0] else [0, 1] end) as ver from solved as a
    )
    select
        a.id,
        {
        f.email(
            f"coalesce(a.extra_email, a.family_email, {f.email_at('a.t_created')})",
            "a.id",
            "em",
            f"case when a.extra_email is not null then 0 when a.channel = 'phone' then "
            f"{r.MISSING['support.tickets.email_when_phone_channel']} else 0.02 end",
        )
    } as requester_email,
        {
        f.phone(
            "a.id",
            "ph",
            "customer_typed",
            f"case when a.channel = 'phone' then 0.1 else {phone_missing} end",
            present="a.force_phone",
        )
    } as requester_phone,
        case when u(a.id, 'name_f') < 0.7 then {first} || ' ' || {last}
             when u(a.id, 'name_f') < 0.85 then {last} || ', ' || {first}
             when u(a.id, 'name_f') < 0.95 then {first} end as requester_name,
        pick({list_lit(TICKET_SUBJECTS)}, u(a.id, 'subject')) as subject,
        case when a.ver = 1 then (case when u(a.id, 'closed') < 0.3 then 'closed' else 'solved' end)
             when a.t_solved is null then (case when u(a.id, 'wait') < 0.5 then 'open' else 'pending' end)
             else 'new' end as status,
        pick({_PRIORITY}, u(a.id, 'priority')) as priority,
        a.channel,
        ts(a.t_created)::timestamptz as created_at,
        ts(case when a.ver = 1 then a.t_solved else a.t_created end)::timestamptz as updated_at,
        case when a.ver = 1 then ts(a.t_solved)::timestamptz end as solved_at,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.id::varchar as _record_id,
        a.ver = 0 as _truth,
        false as _probabilistic
    from rows as a
    union all
    {_from_work(ctx)}
    """
    return [Output("support.tickets", sql, probabilistic=True)]


def _from_work(ctx: Ctx) -> str:
    """Probabilistic-only tickets: written from the person's work address, signed with their name (no
    phone); delivered solved. Only the name is left to compare with their other records.
    """
    ticket_id = f"100000 + {ctx.batch} * {ID_SPAN} + {scrambled('a.person_id * 16 + 15', 'support_ticket')}"
    first, last = f.similar_first_name("a.id"), f.similar_last_name("a.id")
    return f"""
    select
        a.id,
        {f.work_email("a.work_email", "a.id")} as requester_email,
        null as requester_phone,
        case when u(a.id, 'name_f') < 0.8 then {first} || ' ' || {last} else {last} || ', ' || {first} end
            as requester_name,
        pick({list_lit(TICKET_SUBJECTS)}, u(a.id, 'subject')) as subject,
        'solved' as status,
        pick({_PRIORITY}, u(a.id, 'priority')) as priority,
        'email' as channel,
        ts(a.t_created)::timestamptz as created_at,
        ts(a.t_solved)::timestamptz as updated_at,
        ts(a.t_solved)::timestamptz as solved_at,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.id::varchar as _record_id,
        true as _truth,
        true as _probabilistic
    from (
        select a.*, {ticket_id} as id,
            {f.between("a.person_id", "t_work", "a.t_start", "a.t_end")} as t_created,
            t_created + least(3600 * (1 + 23 * u(a.person_id, 'work_solve')), (a.t_end - t_created) * 0.95)
                as t_solved
        from prob_actors as a where a.prob_system = 'support'
    ) as a
    """
