"""The population: true people, their households and identifiers (the ground truth every source copies).

Built in one pass over a block of person ids (the initial load, or a batch's new people). Every attribute
is a pure function of the person id and the seed, except that emails and phones (mobiles, landlines, work
addresses) are made unique across everyone (including earlier blocks and the stores' own numbers) by a
short deterministic de-duplication loop, and that a few people living alone are "name twins" of an
earlier, unrelated person (same names, country and postal code).
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
    STORES,
    WORK_DOMAINS,
)
from cdp_sample.sql import list_lit, lit, urn

MAX_HOUSEHOLD = 6
# Columns of truth/persons.parquet, in order.
PERSON_COLUMNS = (
    "person_id", "household_id", "household_rank", "household_size", "archetype", "sex", "first_name",
    "last_name", "nickname", "birth_date", "country", "postal_code", "email", "first_email",
    "email_changed_at", "family_email", "phone_e164", "joined_at", "batch", "name_twin_of", "work_email",
    "landline_e164",
)  # fmt: skip
# A name twin copies a person at most this many ids before it (always in an earlier household).
_TWIN_REACH = 50

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


def phone_nsn_sql(key: str, attempt: str, landline: bool = False) -> str:
    """SQL for a valid mobile (or landline) NSN in the person's country; `attempt` re-draws it on clashes."""
    branches = []
    salt = "ll_" if landline else ""
    for c in COUNTRIES:
        plan = c.phone.landlines if landline else c.phone.prefixes
        prefixes = [p for p, _ in plan]
        lengths = [n for _, n in plan]
        index = f"(1 + floor(u2({key}, {attempt}, '{salt}ph') * {len(prefixes)})::int)"
        if c.phone.calling_code == "1":
            # NANP: the exchange starts 2-9 and is never N11 or 555.
            drawn = f"(200 + floor(u2({key}, {attempt}, '{salt}ex') * 800)::int)"
            exchange = f"(case when {drawn} % 100 = 11 or {drawn} = 555 then {drawn} + 1 else {drawn} end)"
            body = (
                f"{list_lit(prefixes)}[{index}] || {exchange}::varchar"
                f" || lpad(floor(u2({key}, {attempt}, '{salt}sub') * 10000)::int::varchar, 4, '0')"
            )
        else:
            rest = f"({list_lit(lengths)}[{index}] - len({list_lit(prefixes)}[{index}]))"
            body = (
                f"{list_lit(prefixes)}[{index}] || lpad(floor(u2({key}, {attempt}, '{salt}sub')"
                f" * 10 ** {rest})::bigint::varchar, {rest}::int, '0')"
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


def _work_local_sql(key: str) -> str:
    """SQL for a work address's local part from the cleaned names `f` and `l` (jane.smith, jsmith, ...)."""
    patterns = {"f || '.' || l": 50, "left(f, 1) || l": 30, "f || '_' || l": 10, "l || '.' || f": 10}
    weights = {i: w for i, w in enumerate(patterns.values())}
    index = f"pick({urn(weights)}, u({key}, 'work_p'))"
    branches = " ".join(f"when {i} then {expr}" for i, expr in enumerate(patterns))
    return f"case {index} {branches} end"


def work_domain_sql(key: str) -> str:
    """The web domain of the person's employer (the company the CRM also records for them)."""
    return f"pick({list_lit(WORK_DOMAINS)}, u({key}, 'company'))"


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
    # People living alone may copy an earlier person of this block (a name twin; see rates.NAME_TWIN).
    reach = f"(1 + floor(u(household_id, 'twin_d') * {_TWIN_REACH})::int)"
    twin_of = (
        f"case when household_size = 1 and household_id - {reach} >= {lo}"
        f" and u(household_id, 'twin') < {rates.NAME_TWIN} then household_id - {reach} end"
    )
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
                u(person_id, 'archetype') < {rates.SPLIT_ARCHETYPE} as is_split,
                {twin_of} as twin_of
            from households
        ),
        named as materialized (
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
        twinned as (
            -- a name twin takes the sex, names, country and postal code of an earlier person (not a twin)
            select n.* replace (
                    coalesce(q.sex, n.sex) as sex,
                    coalesce(q.first_name, n.first_name) as first_name,
                    coalesce(q.last_name, n.last_name) as last_name,
                    coalesce(q.country, n.country) as country,
                    coalesce(q.postal_code, n.postal_code) as postal_code
                ),
                q.person_id as name_twin_of
            from named as n
            left join named as q on q.person_id = n.twin_of and q.twin_of is null
        ),
        cleaned as (
            -- names as they appear in email addresses: ascii, lower case, no spaces or apostrophes
            select *,
                regexp_replace(lower(strip_accents(first_name)), '[^a-z]', '', 'g') as f,
                regexp_replace(lower(strip_accents(last_name)), '[^a-z-]', '', 'g') as l,
                not is_split and u(person_id, 'prob') < {rates.PROBABILISTIC_RECORD} as has_work_identity
            from twinned
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
            case when n.has_work_identity then {_work_local_sql("n.person_id")} || '@'
                || {work_domain_sql("n.person_id")} end as work_email,
            {phone_nsn_sql("n.person_id", "0")} as phone_nsn,
            case when n.has_work_identity then {phone_nsn_sql("n.person_id", "0", landline=True)} end
                as landline_nsn,
            n.joined_s,
            {batch} as batch,
            n.name_twin_of
        from cleaned as n
        left join nicknames as k on k.name = n.first_name
    """)
    _make_emails_unique(con, taken)
    _make_phones_unique(con, taken)
    _finish(con, joined_to)


def _date(epoch_seconds: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch_seconds, dt.UTC).date().isoformat()


_EMAIL_COLUMNS = {1: "email_1", 2: "email_2", 3: "work_email"}


def _make_emails_unique(con: duckdb.DuckDBPyConnection, taken: str | None) -> None:
    """Append a short number to any email whose mailbox (gmail dots ignored) someone earlier already has.

    The first round ranks every email; later rounds only the mailboxes the previous round rewrote into.
    `taken` rows (person_id, email, phone_e164) of earlier people keep theirs (either may be NULL).
    """
    earlier = (
        f"union all select person_id, 0 as which, lower(email) as email from {taken} where email is not null"
        if taken
        else ""
    )
    recheck = "true"
    # The family email is the head's email_1, so only the personal and work emails need to be unique.
    mine = " union all ".join(
        f"select person_id, {which} as which, {column} as email from persons where {column} is not null"
        for which, column in _EMAIL_COLUMNS.items()
    )
    for attempt in range(1, 20):
        con.execute(f"""
            create or replace temp table email_clash as
            with everyone as (
                {mine}
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
        for which, column in _EMAIL_COLUMNS.items():
            con.execute(f"""
                update persons as p set {column} =
                    split_part({column}, '@', 1) || {suffix} || '@' || split_part({column}, '@', 2)
                from email_clash as c where c.person_id = p.person_id and c.which = {which}
            """)
        rewritten = " union all ".join(
            f"select p.{column} as email from persons as p join email_clash as c using (person_id)"
            f" where c.which = {which}"
            for which, column in _EMAIL_COLUMNS.items()
        )
        con.execute(f"""
            create or replace temp table email_recheck as
            select distinct {_gmail_canonical("email")} as mailbox from ({rewritten})
        """)
        recheck = "mailbox in (select mailbox from email_recheck)"
    raise RuntimeError("could not make emails unique")


def _country_code_sql() -> str:
    return (
        "(case country "
        + " ".join(f"when '{c.code}' then '+{c.phone.calling_code}'" for c in COUNTRIES)
        + " end)"
    )


def _make_phones_unique(con: duckdb.DuckDBPyConnection, taken: str | None) -> None:
    """Re-draw any mobile or landline number someone earlier (or a store) already has."""
    code = _country_code_sql()
    stores = ", ".join(f"('+{_calling_code(s.country)}{s.phone_nsn}')" for s in STORES)
    earlier = (
        f"union all select person_id, 0, phone_e164, false from {taken} where phone_e164 is not null"
        if taken
        else ""
    )
    for attempt in range(1, 20):
        con.execute(f"""
            create or replace temp table phone_clash as
            with everyone as (
                select person_id, 1 as which, {code} || phone_nsn as phone_e164, true as is_new from persons
                union all
                select person_id, 2, {code} || landline_nsn, true from persons where landline_nsn is not null
                union all
                select 0, 0, phone, false from (values {stores}) t(phone)
                {earlier}
            )
            select person_id, which from (
                select person_id, which, is_new,
                    row_number() over (partition by phone_e164 order by is_new, person_id, which) as rn
                from everyone
            ) where rn > 1 and is_new
        """)
        if con.execute("select count(*) from phone_clash").fetchone()[0] == 0:
            return
        for which, column, landline in ((1, "phone_nsn", False), (2, "landline_nsn", True)):
            con.execute(f"""
                update persons set {column} = {phone_nsn_sql("person_id", str(attempt), landline=landline)}
                where person_id in (select person_id from phone_clash where which = {which})
            """)
    raise RuntimeError("could not make phones unique")


def _calling_code(country: str) -> str:
    return next(c.phone.calling_code for c in COUNTRIES if c.code == country)


def _finish(con: duckdb.DuckDBPyConnection, joined_to: float) -> None:
    """Final shape: current email, when it changed, the shared family email, E.164 phones."""
    code = _country_code_sql().replace("country", "p.country")
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
            {code} || p.phone_nsn as phone_e164,
            ts(p.joined_s) as joined_at,
            p.batch,
            p.name_twin_of,
            p.work_email,
            {code} || p.landline_nsn as landline_e164
        from persons as p
        left join persons as h on h.person_id = p.household_id
        order by p.person_id
    """)
