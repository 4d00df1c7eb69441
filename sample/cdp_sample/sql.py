"""DuckDB connection and the SQL macros every generator shares.

Randomness is hash-based: `u(key, salt)` is a uniform draw in [0, 1) that depends only on the key, the salt
and the seed, so any row can be generated independently, in any order, chunk or thread.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb

from cdp_sample import rates
from cdp_sample.reference import (
    COUNTRIES,
    GMAIL_DOMAINS,
    JUNK_EMAILS,
    JUNK_PHONES,
    PLUS_TAGS,
    SECOND_SIGNUP_TAGS,
)

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def lit(value: object) -> str:
    """A SQL literal for a Python str/int/float/bool/None."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def list_lit(values: Iterable[object]) -> str:
    return "[" + ", ".join(lit(v) for v in values) + "]"


def urn(weights: Mapping[object, int]) -> str:
    """A list literal with each value repeated by its weight: `pick(urn, u)` then draws by weight."""
    return list_lit([value for value, weight in weights.items() for _ in range(weight)])


def connect(seed: int, spill_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the macros; it spills to spill_dir beyond CDP_SAMPLE_MEMORY (default 6GB)."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"set memory_limit = '{os.environ.get('CDP_SAMPLE_MEMORY', '6GB')}'")
    if spill_dir is not None:
        con.execute(f"set temp_directory = '{spill_dir}'")
    # Row order carries no meaning here (every value is keyed), so let DuckDB stream in parallel.
    con.execute("set preserve_insertion_order = false")
    for statement in macros(seed):
        con.execute(statement)
    return con


def _base32(expr: str, chars: int) -> str:
    """SQL for the low 5*chars bits of a (u)bigint expression as Crockford base32, most significant first."""
    parts = [
        f"substr('{CROCKFORD}', ((({expr}) >> {5 * (chars - 1 - i)}) & 31)::int + 1, 1)" for i in range(chars)
    ]
    return " || ".join(parts)


def cum(*values: float) -> float:
    return round(sum(values), 6)


def _country_case(values: Mapping[str, str], code: str = "code") -> str:
    whens = " ".join(f"when {lit(c)} then {v}" for c, v in values.items())
    return f"case {code} {whens} end"


def macros(seed: int) -> list[str]:
    r = rates
    spellings = {c.code: list_lit(c.spellings[1:]) for c in COUNTRIES}
    return [
        # -- randomness: uniform draws in [0, 1) from the key, a salt and the seed
        f"create macro u(k, salt) as ((hash(k, salt, {seed}) >> 11)::double / 9007199254740992.0)",
        f"create macro u2(k1, k2, salt) as ((hash(k1, k2, salt, {seed}) >> 11)::double / 9007199254740992.0)",
        f"create macro h2(k1, k2, salt) as hash(k1, k2, salt, {seed})",
        "create macro pick(lst, x) as lst[1 + floor(x * len(lst))::bigint]",
        # An affine bijection on [0, 2^40): distinct slots give distinct, non-sequential ids.
        "create macro scramble(x, mult, add) as ((x * mult + add) % 1099511627776)",
        # -- time: generator times are epoch seconds (double), written in each source's own format
        "create macro ts(t) as make_timestamp((t::double * 1000000)::bigint)",
        "create macro iso_z(t) as strftime(ts(t), '%Y-%m-%dT%H:%M:%S.%gZ')",
        "create macro iso_utc(t) as strftime(ts(t), '%Y-%m-%dT%H:%M:%S') || '+00:00'",
        # ISO-8601 in a time zone with its UTC offset, e.g. 2024-03-05T09:22:01-05:00.
        "create macro utc_offset(t, tz) as epoch(timezone(tz, ts(t)::timestamptz)) - t::double",
        """create macro iso_tz(t, tz) as
            strftime(timezone(tz, ts(t)::timestamptz), '%Y-%m-%dT%H:%M:%S')
            || case when utc_offset(t, tz) >= 0 then '+' else '-' end
            || strftime(make_timestamp(round(abs(utc_offset(t, tz)) / 60)::bigint * 60000000), '%H:%M')""",
        # -- ids
        f"create macro uuid_of(k1, k2, salt) as md5(concat_ws(':', salt, k1, k2, {seed}))::uuid::varchar",
        "create macro hex32(k1, k2, salt) as md5(concat_ws(':', salt, k1, k2))",
        # ULID: 48-bit millisecond time then 80 random bits, Crockford base32 (made in 2023: 01H...).
        f"""create macro ulid_of(t, k1, k2, salt) as
            {_base32("(t * 1000)::bigint", 10)} || {_base32("h2(k1, k2, salt)", 12)}
            || {_base32("h2(k1, k2, salt || 'b')", 4)}""",
        # -- emails: one kind of mess per record (x, y: independent draws for this record)
        """create macro gmail_variant(e) as
            case when contains(split_part(e, '@', 1), '.') then replace(split_part(e, '@', 1), '.', '')
                 else substr(split_part(e, '@', 1), 1, len(split_part(e, '@', 1)) // 2) || '.'
                      || substr(split_part(e, '@', 1), len(split_part(e, '@', 1)) // 2 + 1) end
            || '@' || split_part(e, '@', 2)""",
        f"""create macro plus_tag(e, x) as
            split_part(e, '@', 1) || '+' || pick({list_lit(PLUS_TAGS)}, x) || '@' || split_part(e, '@', 2)""",
        f"""create macro second_tag(e, x) as
            split_part(e, '@', 1) || '+' || pick({list_lit(SECOND_SIGNUP_TAGS)}, x) || '@'
            || split_part(e, '@', 2)""",
        f"create macro is_gmail(e) as split_part(e, '@', 2) in {tuple(GMAIL_DOMAINS)!r}",
        f"""create macro mess_email(e, x, y) as case
            when x < {cum(r.EMAIL_UPPER)} then upper(e)
            when x < {cum(r.EMAIL_UPPER, r.EMAIL_MIXED_CASE)} then upper(substr(e, 1, 1)) || substr(e, 2)
            when x < {cum(r.EMAIL_UPPER, r.EMAIL_MIXED_CASE, r.EMAIL_WHITESPACE)}
                then (case when y < 0.6 then e || ' ' else ' ' || e end)
            when x < {cum(r.EMAIL_UPPER, r.EMAIL_MIXED_CASE, r.EMAIL_WHITESPACE, r.EMAIL_PLUS_TAG)}
                then plus_tag(e, y)
            when y < {r.GMAIL_DOT_VARIANT} and is_gmail(e) then gmail_variant(e)
            else e end""",
        f"create macro junk_email(x) as pick({list_lit(JUNK_EMAILS)}, x)",
        f"create macro junk_phone(x) as pick({list_lit(JUNK_PHONES)}, x)",
        # -- phones: one number written in one of the formats a source uses (see rates.PHONE_FORMATS);
        # dialling out with 00 is the European habit (North America dials 011, Australia 0011), so
        # NANP and Australian numbers are never written with it
        """create macro nanp(nsn, before, after_area, after_exchange) as before
            || substr(nsn, 1, 3) || after_area || substr(nsn, 4, 3) || after_exchange || substr(nsn, 7)""",
        """create macro fmt_phone(cc, nsn, trunk, grp, fmt) as case
            when nsn is null then null
            when fmt = 'e164' then '+' || cc || nsn
            when fmt = 'intl00' and cc not in ('1', '61') then '00' || cc || ' ' || grp
            when fmt = 'intl00_spaced' and cc not in ('1', '61') then '00 ' || cc || ' ' || grp
            when fmt in ('intl', 'intl00', 'intl00_spaced') then '+' || cc || ' ' || grp
            when fmt = 'intl_trunk' and trunk = '0' then '+' || cc || ' (0)' || grp
            when fmt = 'intl_trunk' then '+' || cc || ' ' || grp
            when cc = '1' and fmt = 'nat' then nanp(nsn, '(', ') ', '-')
            when cc = '1' and fmt = 'nat_dash' then nanp(nsn, '', '-', '-')
            when cc = '1' and fmt = 'nat_dot' then nanp(nsn, '', '.', '.')
            when cc = '1' and fmt = 'us1' then nanp(nsn, '1-', '-', '-')
            when fmt = 'nat_dash' then trunk || replace(grp, ' ', '-')
            when fmt = 'nat_dot' then trunk || replace(grp, ' ', '.')
            when fmt = 'nat_compact' then trunk || nsn
            when fmt = 'digits_cc' then cc || nsn
            else trunk || grp end""",
        # -- names: one kind of mess per record: nickname, one-edit typo, case, whitespace
        """create macro typo_at(s, p, x) as case
            when len(s) < 3 then s
            when x < 0.3 then substr(s, 1, p - 1) || substr(s, p + 1)
            when x < 0.55
                then substr(s, 1, p - 1) || substr(s, p + 1, 1) || substr(s, p, 1) || substr(s, p + 2)
            when x < 0.8
                then substr(s, 1, p) || substr('aeinorstl', 1 + floor(x * 1000)::int % 9, 1)
                     || substr(s, p + 2)
            else substr(s, 1, p) || substr(s, p, 1) || substr(s, p + 1) end""",
        f"""create macro mess_name(s, nick, x, y) as case
            when s is null then null
            when nick is not null and y < {r.NAME_NICKNAME} then nick
            when x < {cum(r.NAME_TYPO)} then typo_at(s, 1 + floor(y * (len(s) - 1))::int, (y * 7919) % 1)
            when x < {cum(r.NAME_TYPO, r.NAME_LOWER)} then lower(s)
            when x < {cum(r.NAME_TYPO, r.NAME_LOWER, r.NAME_UPPER)} then upper(s)
            when x < {cum(r.NAME_TYPO, r.NAME_LOWER, r.NAME_UPPER, r.NAME_WHITESPACE)}
                then (case when y < 0.5 then s || ' ' else ' ' || s end)
            else s end""",
        # -- country as typed: the ISO code, or another spelling, or nothing
        f"""create macro mess_country(code, x) as case
            when x < {r.COUNTRY_MISSING} then null
            when x < {r.COUNTRY_MISSING + r.COUNTRY_AS_CODE} then code
            else pick({_country_case(spellings)}, (x * 7919) % 1) end""",
        f"""create macro mess_postal(z, x) as case
            when x >= {r.POSTAL_MESSY} then z
            when x < {r.POSTAL_MESSY / 3} then lower(z)
            when x < {2 * r.POSTAL_MESSY / 3} then replace(z, ' ', '')
            else ' ' || z end""",
    ]
