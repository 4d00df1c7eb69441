"""The population: true people, their households and identifiers (the ground truth every source copies).

Built in one pass over a block of person ids (the initial load, or a batch's new people). Every attribute
is a pure function of the person id and the seed, except that emails and phones are made unique across
everyone (including earlier blocks) by a short deterministic de-duplication loop.
"""

from __future__ import annotations

import duckdb

from cdp_sample import rates
from cdp_sample.reference import (
    COUNTRIES,
    EMAIL_DOMAINS,
    GMAIL_DOMAINS,
    LANGUAGE_NAMES,
    NICKNAMES,
)
from cdp_sample.sql import list_lit, lit, urn

MAX_HOUSEHOLD = 6
# Columns of truth/persons.parquet, in order.
PERSON_COLUMNS = (
    "person_id", "household_id", "household_rank", "household_size", "archetype", "sex", "first_name",
    "last_name", "nickname", "birth_date", "country", "postal_code", "email", "first_email",
    "email_changed_at", "family_email", "phone_e164", "joined_at", "batch",
)  # fmt: skip

_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _popular_index(count: int, draw: str, offset: int = 8) -> str:
    """1-based index into a popularity-ordered list, weighted ~ 1/(i + offset) (inverse CDF of a draw)."""
    return f"least({count}, 1 + floor({offset} * pow({(count + offset) / offset}, {draw}) - {offset})::int)"


def _names_sql(key: str, salt: str, kind: int) -> str:
    """SQL picking a name of `kind` (0 male, 1 female, 2 last) for the person's country language."""
    branches = []
    for language, lists in LANGUAGE_NAMES.items():
        names = lists[kind]
        codes = [c.code for c in COUNTRIES if c.language == language]
        index = _popular_index(len(names), f"u({key}, '{salt}')")
        branches.append(f"when country in {_in(codes)} then {list_lit(names)}[{index}]")
    return "case " + " ".join(branches) + " end"


def _in(values: list[str]) -> str:
    return "(" + ", ".join(lit(v) for v in values) + ")"


def _postal_sql(key: str) -> str:
    def letter(salt: str, alphabet: str = _LETTERS) -> str:
        return f"substr('{alphabet}', 1 + floor(u({key}, '{salt}') * {len(alphabet)})::int, 1)"

    def digits(salt: str, lo: int, width: int, span: int) -> str:
        return f"lpad(({lo} + floor(u({key}, '{salt}') * {span}))::int::varchar, {width}, '0')"

    gb_areas = list_lit(
        [
            "SW1A",
            "EC1A",
            "W1A",
            "N1",
            "E2",
            "SE1",
            "NW3",
            "M1",
            "M4",
            "B1",
            "B15",
            "LS1",
            "L1",
            "G1",
            "EH1",
            "BS1",
            "CF10",
            "NE1",
            "S1",
            "OX1",
            "CB1",
            "BN1",
            "RG1",
            "NG1",
        ]
    )
    ie_keys = list_lit(
        [
            "D01",
            "D02",
            "D04",
            "D06",
            "D08",
            "D12",
            "D15",
            "D24",
            "A94",
            "A96",
            "T12",
            "T23",
            "H91",
            "V94",
            "X91",
            "K78",
            "W23",
        ]
    )
    eircode = "ACDEFHKNPRTVWXY0123456789"
    ca_first = "ABCEGHJKLMNPRSTVXY"
    by_country = {
        "US": digits("z", 1001, 5, 98998),
        "GB": f"pick({gb_areas}, u({key}, 'z')) || ' ' || {digits('z1', 1, 1, 9)} || {letter('z2')}"
        f" || {letter('z3')}",
        "CA": f"{letter('z', ca_first)} || {digits('z1', 1, 1, 9)} || {letter('z2', ca_first)} || ' ' || "
        f"{digits('z3', 0, 1, 10)} || {letter('z4', ca_first)} || {digits('z5', 0, 1, 10)}",
        "DE": digits("z", 1067, 5, 98000),
        "FR": digits("z", 1000, 5, 94999),
        "AU": digits("z", 2000, 4, 5999),
        "IE": f"pick({ie_keys}, u({key}, 'z')) || ' ' || "
        + " || ".join(letter(f"z{i}", eircode) for i in range(1, 5)),
        "NL": f"{digits('z', 1000, 4, 8999)} || ' ' || {letter('z1', 'ABCEGHJKLMNPRTVWXZ')} || "
        f"{letter('z2', 'ABCEGHJKLMNPRTVWXZ')}",
        "ES": digits("z", 1000, 5, 51000),
        "NZ": digits("z", 600, 4, 9200),
    }
    return "case country " + " ".join(f"when '{c}' then {v}" for c, v in by_country.items()) + " end"


def phone_nsn_sql(key: str, attempt: str) -> str:
    """SQL for a valid mobile NSN in the person's country; `attempt` re-draws it on a collision."""
    branches = []
    for c in COUNTRIES:
        prefixes = [p for p, _ in c.phone.prefixes]
        lengths = [n for _, n in c.phone.prefixes]
        index = f"(1 + floor(u2({key}, {attempt}, 'ph') * {len(prefixes)})::int)"
        if c.phone.calling_code == "1":
            # NANP: the exchange starts 2-9 and is never N11 or 555.
            drawn = f"(200 + floor(u2({key}, {attempt}, 'ex') * 800)::int)"
            exchange = f"(case when {drawn} % 100 = 11 or {drawn} = 555 then {drawn} + 1 else {drawn} end)"
            body = (
                f"{list_lit(prefixes)}[{index}] || {exchange}::varchar"
                f" || lpad(floor(u2({key}, {attempt}, 'sub') * 10000)::int::varchar, 4, '0')"
            )
        else:
            rest = f"({list_lit(lengths)}[{index}] - len({list_lit(prefixes)}[{index}]))"
            body = (
                f"{list_lit(prefixes)}[{index}] || lpad(floor(u2({key}, {attempt}, 'sub') * 10 ** {rest})"
                f"::bigint::varchar, {rest}::int, '0')"
            )
        branches.append(f"when '{c.code}' then {body}")
    return "case country " + " ".join(branches) + " end"


def _email_local_sql(key: str, salt: str) -> str:
    """SQL for an email local part from the cleaned names `f` and `l`, in one of a dozen common patterns."""
    yy = "lpad((year(birth_date) % 100)::varchar, 2, '0')"
    n = f"(1 + floor(u({key}, '{salt}n') * 999))::int::varchar"
    patterns = {
        "f || '.' || l": 20,
        "f || l": 10,
        f"f || '.' || l || {yy}": 10,
        f"f || l || {n}": 8,
        "left(f, 1) || l": 12,
        f"left(f, 1) || l || {yy}": 8,
        "l || '.' || f": 5,
        "f || '_' || l": 5,
        "f || year(birth_date)::varchar": 6,
        f"f || '.' || l || {n}": 8,
        f"f || left(l, 1) || {n}": 8,
    }
    weights = {i: w for i, w in enumerate(patterns.values())}
    index = f"pick({urn(weights)}, u({key}, '{salt}p'))"
    branches = " ".join(f"when {i} then {expr}" for i, expr in enumerate(patterns))
    return f"case {index} {branches} end"


def _domain_sql(key: str, salt: str) -> str:
    branches = " ".join(
        f"when '{code}' then pick({urn(dict(domains))}, u({key}, '{salt}'))"
        for code, domains in EMAIL_DOMAINS.items()
    )
    return f"case country {branches} end"


def _gmail_canonical(column: str) -> str:
    domain = f"split_part({column}, '@', 2)"
    return (
        f"case when {domain} in {_in(list(GMAIL_DOMAINS))} "
        f"then replace(split_part({column}, '@', 1), '.', '') || '@' || {domain} else {column} end"
    )


def build_persons(
    con: duckdb.DuckDBPyConnection,
    lo: int,
    hi: int,
    joined_from: float,
    joined_to: float,
    batch: int,
    taken: str | None = None,
) -> None:
    """Create table `persons` for ids lo..hi joining in [joined_from, joined_to) (epoch seconds).

    `taken`: a relation with (person_id, email, phone_e164) of earlier people whose identifiers are taken.
    """
    country_urn = urn({c.code: round(c.weight * 100) for c in COUNTRIES})
    nick_rows = ", ".join(f"({lit(name)}, {list_lit(nicks)})" for name, nicks in NICKNAMES.items())

    def starts(q: str) -> str:
        """Whether person q starts a household: at the block start, every MAX_HOUSEHOLD ids, or by chance."""
        return (
            f"({q} = {lo} or ({q} - {lo}) % {MAX_HOUSEHOLD} = 0 or u({q}, 'hh') < {rates.HOUSEHOLD_NEW_PROB})"
        )

    household = (
        "greatest("
        + ", ".join(
            f"case when person_id - {k} >= {lo} and {starts(f'person_id - {k}')} then person_id - {k} end"
            for k in range(MAX_HOUSEHOLD)
        )
        + ")"
    )
    next_start = (
        "least("
        + ", ".join(
            f"case when {starts(f'household_id + {k}')} then household_id + {k} end"
            for k in range(1, MAX_HOUSEHOLD + 1)
        )
        + f", {hi + 1})"
    )
    span = joined_to - joined_from
    con.execute(
        f"create or replace temp table nicknames as select * from (values {nick_rows}) t(name, nicks)"
    )
    con.execute(f"""
        create or replace table persons as
        with ids as (
            select i::bigint as person_id from range({lo}, {hi + 1}) t(i)
        ),
        households as (
            select person_id, {household} as household_id from ids
        ),
        shaped as (
            select
                person_id,
                household_id,
                (person_id - household_id)::int as household_rank,
                ({next_start} - household_id)::int as household_size,
                pick({country_urn}, u(household_id, 'country')) as country,
                case when u(person_id, 'sex') < {rates.FEMALE_SHARE} then 'F' else 'M' end as sex,
                -- the head's age; partners are close to it, later members are grown-up children
                22 + 60 * pow(u(household_id, 'age'), 1.2) as head_age,
                u(person_id, 'own_surname') < 0.2 as own_surname,
                u(person_id, 'archetype') < {rates.SPLIT_ARCHETYPE} as is_split
            from households
        ),
        named as (
            select
                *,
                case when sex = 'F' then {_names_sql("person_id", "first", 1)}
                     else {_names_sql("person_id", "first", 0)} end as first_name,
                case when household_rank > 0 and own_surname then {_names_sql("person_id", "last", 2)}
                     else {_names_sql("household_id", "last", 2)} end as last_name,
                (date '{_date(joined_to)}' - to_days((365.25 * case
                    when household_rank = 0 then head_age
                    when household_rank = 1 then greatest(18, head_age + 10 * (u(person_id, 'age') - 0.5))
                    else greatest(18, least(head_age - 20, 18 + 12 * u(person_id, 'age'))) end
                    + 365 * u(person_id, 'birthday'))::int))::date as birth_date,
                {_postal_sql("household_id")} as postal_code,
                {joined_from} + {span} * u(person_id, 'joined') as joined_s
            from shaped
        ),
        cleaned as (
            -- names as they appear in email addresses: ascii, lower case, no spaces or apostrophes
            select *,
                regexp_replace(lower(strip_accents(first_name)), '[^a-z]', '', 'g') as f,
                regexp_replace(lower(strip_accents(last_name)), '[^a-z-]', '', 'g') as l
            from named
        )
        select
            n.person_id, n.household_id, n.household_rank, n.household_size,
            case when n.is_split then 'split' else 'standard' end as archetype,
            n.sex, n.first_name, n.last_name,
            pick(k.nicks, u(n.person_id, 'nick')) as nickname,
            n.birth_date, n.country, n.postal_code,
            {_email_local_sql("n.person_id", "e1")} || '@'
                || {_domain_sql("n.person_id", "d1")} as email_1,
            case when not n.is_split and u(n.person_id, 'email_change') < {rates.EMAIL_CHANGE} then
                {_email_local_sql("n.person_id", "e2")} || '@'
                || {_domain_sql("n.person_id", "d2")} end as email_2,
            0 as email_attempt,
            0 as phone_attempt,
            {phone_nsn_sql("n.person_id", "0")} as phone_nsn,
            n.joined_s,
            {batch} as batch
        from cleaned as n
        left join nicknames as k on k.name = n.first_name
    """)
    _make_emails_unique(con, taken)
    _make_phones_unique(con, taken)
    _finish(con, joined_to)


def _date(epoch_seconds: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch_seconds, dt.UTC).date().isoformat()


def _make_emails_unique(con: duckdb.DuckDBPyConnection, taken: str | None) -> None:
    """Append a short number to any email whose mailbox (gmail dots ignored) someone earlier already has.

    The first round ranks every email; later rounds only the mailboxes the previous round rewrote into.
    """
    earlier = f"union all select person_id, 0 as which, lower(email) as email from {taken}" if taken else ""
    recheck = "true"
    # The family email is the head's email_1, so only the two personal emails need to be unique.
    for attempt in range(1, 20):
        con.execute(f"""
            create or replace temp table email_clash as
            with everyone as (
                select person_id, 1 as which, email_1 as email from persons
                union all select person_id, 2, email_2 from persons where email_2 is not null
                {earlier}
            ),
            keyed as (select *, {_gmail_canonical("email")} as mailbox from everyone),
            ranked as (
                select person_id, which,
                    row_number() over (partition by mailbox order by person_id, which) as rn
                from keyed where {recheck}
            )
            select person_id, which from ranked where rn > 1 and which > 0  -- earlier people keep theirs
        """)
        if con.execute("select count(*) from email_clash").fetchone()[0] == 0:
            return
        suffix = f"(100 + floor(u2(p.person_id, {attempt}, 'sfx') * 9900))::int::varchar"
        for which in (1, 2):
            con.execute(f"""
                update persons as p set email_{which} =
                    split_part(email_{which}, '@', 1) || {suffix} || '@' || split_part(email_{which}, '@', 2)
                from email_clash as c where c.person_id = p.person_id and c.which = {which}
            """)
        con.execute(f"""
            create or replace temp table email_recheck as
            select distinct {_gmail_canonical("email")} as mailbox from (
                select p.email_1 as email from persons as p join email_clash as c using (person_id)
                where c.which = 1
                union all
                select p.email_2 from persons as p join email_clash as c using (person_id)
                where c.which = 2
            )
        """)
        recheck = "mailbox in (select mailbox from email_recheck)"
    raise RuntimeError("could not make emails unique")


def _make_phones_unique(con: duckdb.DuckDBPyConnection, taken: str | None) -> None:
    """Re-draw any mobile number someone earlier already has."""
    codes = " ".join(f"when '{c.code}' then '+{c.phone.calling_code}'" for c in COUNTRIES)
    earlier = f"union all select person_id, phone_e164, false from {taken}" if taken else ""
    for attempt in range(1, 20):
        con.execute(f"""
            create or replace temp table phone_clash as
            with everyone as (
                select person_id, (case country {codes} end) || phone_nsn as phone_e164, true as is_new
                from persons
                {earlier}
            )
            select person_id from (
                select person_id, is_new,
                    row_number() over (partition by phone_e164 order by person_id, is_new) as rn
                from everyone
            ) where rn > 1 and is_new
        """)
        if con.execute("select count(*) from phone_clash").fetchone()[0] == 0:
            return
        con.execute(f"""
            update persons set phone_nsn = {phone_nsn_sql("person_id", str(attempt))}
            where person_id in (select person_id from phone_clash)
        """)
    raise RuntimeError("could not make phones unique")


def _finish(con: duckdb.DuckDBPyConnection, joined_to: float) -> None:
    """Final shape: current email, when it changed, the shared family email, E.164 phone."""
    codes = " ".join(f"when '{c.code}' then '+{c.phone.calling_code}'" for c in COUNTRIES)
    con.execute(f"""
        create or replace table persons as
        select
            p.person_id, p.household_id, p.household_rank, p.household_size, p.archetype, p.sex,
            p.first_name, p.last_name, p.nickname, p.birth_date, p.country, p.postal_code,
            coalesce(p.email_2, p.email_1) as email,
            p.email_1 as first_email,
            case when p.email_2 is not null then
                ts(p.joined_s + ({joined_to} - p.joined_s) * (0.1 + 0.85 * u(p.person_id, 'email_change_at')))
            end as email_changed_at,
            case when p.household_rank = 1 and u(p.household_id, 'family_email') < {rates.SHARED_FAMILY_EMAIL}
                then h.email_1 end as family_email,
            (case p.country {codes} end) || p.phone_nsn as phone_e164,
            ts(p.joined_s) as joined_at,
            p.batch
        from persons as p
        left join persons as h on h.person_id = p.household_id
        order by p.person_id
    """)
