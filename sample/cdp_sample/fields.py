"""SQL snippets for the fields every source copies from a person, with that source's kind of mess.

Each takes a record key (a bigint expression unique to the record) and a salt, so the draws differ per
record and per field. Actor columns are referenced with the alias `a`.
"""

from __future__ import annotations

from cdp_sample import rates
from cdp_sample.sql import cum, urn


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


def uses_gmail_variant(key: str, salt: str) -> str:
    """Whether email(..., key, salt) writes a gmail address as its dot variant (given no junk or missing)."""
    r = rates
    cased = cum(r.EMAIL_UPPER, r.EMAIL_MIXED_CASE, r.EMAIL_WHITESPACE, r.EMAIL_PLUS_TAG)
    return f"(u({key}, '{salt}_x') >= {cased} and u({key}, '{salt}_y') < {r.GMAIL_DOT_VARIANT})"


def phone(
    key: str,
    salt: str,
    style: str,
    missing: float | str = 0.0,
    present: str = "false",
    junk: float = rates.JUNK_PHONE,
    nsn: tuple[str, str] = ("a.nsn", "a.grp"),
) -> str:
    """A phone field in one of the source's formats; `present` (SQL boolean) forces a clean number.

    `nsn`: the number (NSN and its grouped writing); the person's mobile unless told otherwise.
    """
    formats = urn(rates.PHONE_FORMATS[style])
    written = f"fmt_phone(a.cc, {nsn[0]}, a.trunk, {nsn[1]}, pick({formats}, u({key}, '{salt}_f')))"
    return (
        f"case when {present} then {written}"
        f" when u({key}, '{salt}_m') < {missing} then null"
        f" when u({key}, '{salt}_j') < {junk} then junk_phone(u({key}, '{salt}_jv'))"
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


def country_given(key: str, salt: str) -> str:
    """The country as typed, never missing (another spelling half the time)."""
    missing = rates.COUNTRY_MISSING
    return f"mess_country(a.country, {missing} + (1 - {missing}) * u({key}, '{salt}'))"


def _typo(column: str, key: str, salt: str) -> str:
    """The name with one edit (deletion, transposition, substitution or doubled letter)."""
    return (
        f"typo_at({column}, 1 + floor(u({key}, '{salt}_p') * (len({column}) - 1))::int, u({key}, '{salt}_t'))"
    )


def similar_first_name(key: str) -> str:
    """A probabilistic-only record's first name: the same, the nickname (if any) or one typo."""
    kind = f"pick({urn(rates.PROBABILISTIC_FIRST_NAME)}, u({key}, 'pfn'))"
    return (
        f"case {kind} when 'nickname' then coalesce(a.nickname, a.first_name)"
        f" when 'typo' then {_typo('a.first_name', key, 'pfn')} else a.first_name end"
    )


def similar_last_name(key: str) -> str:
    """A probabilistic-only record's last name: the same, sometimes with one typo."""
    typo = _typo("a.last_name", key, "pln")
    return (
        f"case when u({key}, 'pln') < {rates.PROBABILISTIC_LAST_NAME_TYPO} then {typo} else a.last_name end"
    )


def postal(key: str, salt: str, missing: float | str = 0.0) -> str:
    written = f"mess_postal(a.postal_code, u({key}, '{salt}'))"
    return f"case when u({key}, '{salt}_m') < {missing} then null else {written} end"


def work_email(column: str, key: str) -> str:
    """A work address as printed on a business card or sent from: now and then capitalised, nothing more."""
    capitalised = f"upper(substr({column}, 1, 1)) || substr({column}, 2)"
    return f"case when u({key}, 'wem') < 0.1 then {capitalised} else {column} end"


def printed_card(card: str, key: str) -> str:
    """A loyalty card number as printed: four groups of four digits, spaced or dashed."""
    groups = [f"substr({card}, {i}, 4)" for i in (1, 5, 9, 13)]
    spaced = " || ' ' || ".join(groups)
    dashed = " || '-' || ".join(groups)
    return f"case when u({key}, 'card_f') < 0.7 then {spaced} else {dashed} end"


def between(key: str, salt: str, lo: str, hi: str, power: float = 1.0) -> str:
    """A time in [lo, hi) (epoch seconds); power > 1 favours times near lo."""
    draw = f"u({key}, '{salt}')" if power == 1.0 else f"pow(u({key}, '{salt}'), {power})"
    return f"({lo} + ({hi} - {lo}) * {draw})"


def count(weights: dict[int, int], key: str, salt: str) -> str:
    return f"pick({urn(weights)}, u({key}, '{salt}'))"


def money(amount: str) -> str:
    """A decimal string with two places, as Shopify's JSON has it."""
    return f"printf('%.2f', {amount})"


def delivery(slot: str, t_arrival: str, t_load: float, floor: str) -> tuple[str, str]:
    """(event time, list of deliveries {copy, after}) for an event that arrived at t_arrival.

    Most events arrive within seconds, some days late (unless that would put the event before `floor`, the
    start of the person's or profile's history); a few are delivered twice, the copy up to an hour later
    (never after the load).
    """
    late = f"86400 * (1 + 4 * u({slot}, 'late_d'))"
    delay = (
        f"case when u({slot}, 'late') < {rates.LATE_ARRIVAL} and {t_arrival} - {late} >= {floor} then {late}"
        f" else 0.05 + 2.95 * u({slot}, 'lag') end"
    )
    first = "{'copy': 0, 'after': 0.0}"
    again = f"{{'copy': 1, 'after': least(3600 * u({slot}, 'dup_d'), ({t_load} - {t_arrival}) * 0.9)}}"
    copies = (
        f"case when u({slot}, 'dup') < {rates.DUPLICATE_DELIVERY} then [{first}, {again}] else [{first}] end"
    )
    return f"({t_arrival} - {delay})", copies
