"""Privacy portal: right-to-be-forgotten requests, each by one identifier the person chose to give."""

from __future__ import annotations

from cdp_sample import fields as f
from cdp_sample.sources import Ctx, Output


def prepare(ctx: Ctx) -> list[str]:
    return []


def outputs(ctx: Ctx) -> list[Output]:
    kind = """case
        when u(a.person_id, 'dsr_kind') < 0.2 and a.shop_account then 'shop_customer_id'
        when u(a.person_id, 'dsr_kind') < 0.35 and a.loyalty then 'loyalty_card_id'
        when u(a.person_id, 'dsr_kind') < 0.6 then 'phone'
        else 'email' end"""
    sql = f"""
    with a as (
        select a.*, {kind} as identifier_type,
            'DSR-' || upper(substr(hex32(a.person_id, {ctx.batch}, 'dsr'), 1, 12)) as id
        from actors as a where a.deletion
    )
    select
        a.id,
        a.identifier_type,
        case a.identifier_type
            when 'shop_customer_id' then a.shop_id::varchar
            when 'loyalty_card_id' then substr(a.card, 1, 4) || ' ' || substr(a.card, 5, 4) || ' '
                || substr(a.card, 9, 4) || ' ' || substr(a.card, 13, 4)
            when 'phone' then fmt_phone(a.cc, a.nsn, a.trunk, a.grp,
                case when u(a.person_id, 'dsr_fmt') < 0.5 then 'intl' else 'nat' end)
            else mess_email({f.email_at("a.t_hi")}, u(a.person_id, 'dsr_x'), u(a.person_id, 'dsr_y'))
        end as identifier_value,
        ts(greatest(a.t_lo, a.t_hi - 60 * 86400 * u(a.person_id, 'dsr_t'))) as requested_at,
        {ctx.loaded_at} as _loaded_at,
        a.person_id as _person_id,
        a.id as _record_id,
        true as _truth
    from a
    """
    return [Output("privacy.deletion_requests", sql)]
