"""SQL snippets for the fields every source copies from a person, with that source's kind of mess.

Each takes a record key (a bigint expression unique to the record) and a salt, so the draws differ per
record and per field. Actor columns are referenced with the alias `a`.
"""

from __future__ import annotations

from cdp_sample import rates
from cdp_sample.sql import urn


def email_at(t: str) -> str:
    """The person's true email at time t: the first one until they changed it, then the second."""
    changed = f"a.t_email_change is not null and {t} >= a.t_email_change"
    return f"(case when {changed} then a.email_2 else a.email_1 end)"


def email(
    true_email: str, key: str, salt: str, missing: float | str = 0.0, junk: float = rates.JUNK_EMAIL
) -> str:
    """An email field: missing, junk, or the true email with one kind of mess (case, spaces, dots, +tag)."""
    return (
        f"case when u({key}, '{salt}_m') < {missing} then null"
        f" when u({key}, '{salt}_j') < {junk} then junk_email(u({key}, '{salt}_jv'))"
        f" else mess_email({true_email}, u({key}, '{salt}_x'), u({key}, '{salt}_y')) end"
    )


def phone(key: str, salt: str, style: str, missing: float | str = 0.0, present: str = "false") -> str:
    """A phone field in one of the source's formats; `present` (SQL boolean) forces a clean number."""
    formats = urn(rates.PHONE_FORMATS[style])
    written = f"fmt_phone(a.cc, a.nsn, a.trunk, a.grp, pick({formats}, u({key}, '{salt}_f')))"
    return (
        f"case when {present} then {written}"
        f" when u({key}, '{salt}_m') < {missing} then null"
        f" when u({key}, '{salt}_j') < {rates.JUNK_PHONE} then junk_phone(u({key}, '{salt}_jv'))"
        f" else {written} end"
    )


def name(column: str, key: str, salt: str, missing: float | str = 0.0, nickname: str = "null") -> str:
    """A name field: missing, or the name with one kind of mess (nickname, typo, case, whitespace)."""
    return (
        f"case when u({key}, '{salt}_m') < {missing} then null"
        f" else mess_name({column}, {nickname}, u({key}, '{salt}_x'), u({key}, '{salt}_y')) end"
    )


def country(key: str, salt: str) -> str:
    return f"mess_country(a.country, u({key}, '{salt}'))"


def postal(key: str, salt: str, missing: float | str = 0.0) -> str:
    written = f"mess_postal(a.postal_code, u({key}, '{salt}'))"
    return f"case when u({key}, '{salt}_m') < {missing} then null else {written} end"


def between(key: str, salt: str, lo: str, hi: str, power: float = 1.0) -> str:
    """A time in [lo, hi) (epoch seconds); power > 1 favours times near lo."""
    draw = f"u({key}, '{salt}')" if power == 1.0 else f"pow(u({key}, '{salt}'), {power})"
    return f"({lo} + ({hi} - {lo}) * {draw})"


def count(weights: dict[int, int], key: str, salt: str) -> str:
    return f"pick({urn(weights)}, u({key}, '{salt}'))"


def money(amount: str) -> str:
    """A decimal string with two places, as Shopify's JSON has it."""
    return f"printf('%.2f', {amount})"


def delivery(slot: str, t_arrival: str, t_load: float) -> tuple[str, str]:
    """(event time, list of deliveries {copy, after}) for an event that arrived at t_arrival.

    Most events arrive within seconds, some days late; a few are delivered twice, the copy up to an hour
    later (never after the load).
    """
    delay = (
        f"case when u({slot}, 'late') < {rates.LATE_ARRIVAL} then 86400 * (1 + 4 * u({slot}, 'late_d'))"
        f" else 0.05 + 2.95 * u({slot}, 'lag') end"
    )
    first = "{'copy': 0, 'after': 0.0}"
    again = f"{{'copy': 1, 'after': least(3600 * u({slot}, 'dup_d'), ({t_load} - {t_arrival}) * 0.9)}}"
    copies = (
        f"case when u({slot}, 'dup') < {rates.DUPLICATE_DELIVERY} then [{first}, {again}] else [{first}] end"
    )
    return f"({t_arrival} - {delay})", copies
