"""The sample data generator: landing contract, determinism, configured rates, truth, batches, phones."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import phonenumbers
import pytest
import yaml
from cdp_sample import rates
from cdp_sample.cli import main
from cdp_sample.contract import load_contract
from cdp_sample.generate import Config, generate_base
from cdp_sample.reference import JUNK_EMAILS, JUNK_PHONES, STORES

REPO = Path(__file__).resolve().parents[2]
CUSTOMERS = 5000
SEED = 7
AS_OF = "2026-01-01"
ARGS = ["--customers", str(CUSTOMERS), "--seed", str(SEED), "--as-of", AS_OF]
# Native id column of each landing table (order and transaction lines are not in the truth).
ID_COLUMNS = {
    "shop.customers": "id",
    "shop.orders": "id",
    "shop.checkouts": "id",
    "crm.contacts": "vid",
    "web.events": "message_id",
    "app.events": "event_id",
    "pos.transactions": "transaction_id",
    "loyalty.members": "member_id",
    "support.tickets": "id",
    "esp.profiles": "id",
    "esp.events": "id",
    "esp.subscriptions": "id",
    "privacy.deletion_requests": "id",
}


@pytest.fixture(scope="session")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "base"
    assert main([*ARGS, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def batched(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the base with batch 1 (normal) and batch 2 (freshness scenario) on top."""
    out = tmp_path_factory.mktemp("sample") / "batched"
    shutil.copytree(base, out)
    assert main([*ARGS, "--out", str(out), "--batch", "1"]) == 0
    assert main([*ARGS, "--out", str(out), "--batch", "2", "--scenario", "freshness"]) == 0
    return out


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    return connection


def landing(out: Path, key: str, part: str = "*") -> str:
    source, table = key.split(".")
    return f"read_parquet('{out}/landing/{source}/{table}/part-{part}.parquet')"


def truth(out: Path) -> str:
    return f"read_parquet('{out}/truth/records.parquet')"


def persons(out: Path) -> str:
    return f"read_parquet('{out}/truth/persons.parquet')"


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchone()[0]


def owner(out: Path, key: str, record_id: str) -> str:
    """A join to the truth row (alias t) of the landing record whose native id is record_id."""
    source, entity = key.split(".")
    return (
        f"{truth(out)} as t on t.source = '{source}' and t.entity = '{entity}'"
        f" and t.record_id = ({record_id})::varchar"
    )


def digits(column: str) -> str:
    return f"regexp_replace({column}, '[^0-9]', '', 'g')"


# ------------------------------------------------------------------------------------------- contract


def sources_yaml() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(source, table) -> [(column, type)] straight from models/staging/*/_*__sources.yml."""
    tables = {}
    for path in sorted((REPO / "models" / "staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                columns = [(c["name"], c["data_type"].lower().replace(" ", "")) for c in table["columns"]]
                tables[(source["name"], table["name"])] = columns
    return tables


def test_every_file_matches_the_sources_yaml(
    base: Path, batched: Path, con: duckdb.DuckDBPyConnection
) -> None:
    tables = sources_yaml()
    assert len(tables) == 15
    for out in (base, batched):
        for (source, table), expected in tables.items():
            files = sorted((out / "landing" / source / table).glob("*.parquet"))
            assert files, f"no files for {source}.{table}"
            for path in files:
                described = con.execute(f"describe select * from read_parquet('{path}')").fetchall()
                actual = [(name, kind.lower().replace(" ", "")) for name, kind, *_ in described]
                assert actual == expected, f"{path}"
                schema = con.execute(f"select name from parquet_schema('{path}')").fetchall()
                assert {name for name, _ in expected} <= {row[0] for row in schema}
    assert (base / "landing" / ".complete").exists()
    assert (batched / "landing" / ".complete").exists()


def test_loaded_at_and_history_window(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    web = landing(base, "web.events")
    loaded, first, last = con.execute(
        f"select max(_loaded_at), min(received_at), max(received_at) from {web}"
    ).fetchone()
    assert str(loaded) == f"{AS_OF} 00:00:00"
    assert str(last) < f"{AS_OF} 00:00:00"
    assert str(first) < "2023-06-01"  # history spans about three years
    assert scalar(con, f"select max(original_timestamp) from {web}") < f"{AS_OF}T00:00:00"
    orders = landing(base, "shop.orders")
    assert scalar(
        con, f"select max(created_at::timestamptz) < timestamptz '{AS_OF} 00:00:00+00' from {orders}"
    )


# ----------------------------------------------------------------------------------------- determinism


def test_same_arguments_give_the_same_data(
    base: Path, tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    again = tmp_path / "again"
    assert main([*ARGS, "--out", str(again)]) == 0

    def digest(relation: str) -> str:
        return scalar(
            con, f"select md5(string_agg(md5(t::varchar), ',' order by md5(t::varchar))) from {relation} t"
        )

    for key in load_contract():
        assert digest(landing(base, key)) == digest(landing(again, key)), key
    assert digest(truth(base)) == digest(truth(again))
    assert digest(persons(base)) == digest(persons(again))
    other_seed = tmp_path / "other"
    assert (
        main(["--customers", "300", "--seed", str(SEED + 1), "--as-of", AS_OF, "--out", str(other_seed)]) == 0
    )
    assert digest(persons(other_seed)) != digest(f"(select * from {persons(base)} where person_id <= 300)")


def test_chunks_do_not_change_the_data(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    """People are generated chunk by chunk at scale; the chunk size must not change any value."""
    as_of = dt.date.fromisoformat(AS_OF)
    for name, chunk_size in (("small", 400), ("one", 1_000_000)):
        generate_base(
            Config(customers=1000, seed=SEED, out=tmp_path / name, as_of=as_of, chunk_size=chunk_size)
        )
    assert len(list((tmp_path / "small" / "landing" / "web" / "events").glob("part-00000-c*.parquet"))) == 3

    def digest(relation: str) -> str:
        return scalar(
            con, f"select md5(string_agg(md5(t::varchar), ',' order by md5(t::varchar))) from {relation} t"
        )

    for key in load_contract():
        assert digest(landing(tmp_path / "small", key)) == digest(landing(tmp_path / "one", key)), key
    assert digest(truth(tmp_path / "small")) == digest(truth(tmp_path / "one"))


# ---------------------------------------------------------------------------------------------- truth


def test_truth_covers_every_record_once(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    records = truth(base)
    assert scalar(con, f"select count(*) - count(distinct (source, entity, record_id)) from {records}") == 0
    for key, column in ID_COLUMNS.items():
        source, entity = key.split(".")
        ids = f"(select distinct {column}::varchar as record_id from {landing(base, key)})"
        known = f"(select record_id from {records} where source = '{source}' and entity = '{entity}')"
        assert scalar(con, f"select count(*) from {ids} anti join {known} using (record_id)") == 0, key
        assert scalar(con, f"select count(*) from {known}") == scalar(con, f"select count(*) from {ids}"), key
    person_ids = scalar(con, f"select count(*) from {records} anti join {persons(base)} using (person_id)")
    assert person_ids == 0
    manifest = json.loads((base / "truth" / "manifest.json").read_text())
    assert manifest["arguments"]["customers"] == CUSTOMERS
    assert manifest["rates"]["DUPLICATE_DELIVERY"] == rates.DUPLICATE_DELIVERY


def test_volumes_per_customer(base: Path) -> None:
    manifest = json.loads((base / "truth" / "manifest.json").read_text())
    rows = manifest["landing_rows"]["0"]
    assert 10 <= sum(rows.values()) / CUSTOMERS <= 13
    assert rows["web.events"] == max(rows.values())
    assert rows["privacy.deletion_requests"] >= rates.MIN_DELETION_REQUESTS


# ---------------------------------------------------------------------------------------------- rates


def close_to(actual: float, expected: float, tolerance: float) -> bool:
    return abs(actual - expected) <= tolerance


def test_population_rates(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    people = persons(base)
    shares = dict(con.execute(f"select country, count(*) / {CUSTOMERS} from {people} group by 1").fetchall())
    assert len(shares) >= 8
    assert close_to(shares["US"], 0.55, 0.04) and close_to(shares["GB"], 0.12, 0.03)
    changed = scalar(con, f"select avg((email_changed_at is not null)::int) from {people}")
    assert close_to(changed, rates.EMAIL_CHANGE * (1 - rates.SPLIT_ARCHETYPE), 0.02)
    accounts = scalar(
        con, f"select count(distinct person_id) / {CUSTOMERS} from {truth(base)} where entity = 'customers'"
    )
    assert close_to(accounts, rates.SHOP_ACCOUNT * (1 - rates.SPLIT_ARCHETYPE), 0.04)
    assert scalar(con, f"select count(*) - count(distinct email) from {people}") == 0
    assert scalar(con, f"select count(*) - count(distinct phone_e164) from {people}") == 0


def test_delivery_rates(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    web = landing(base, "web.events")
    rows, distinct = con.execute(f"select count(*), count(distinct message_id) from {web}").fetchone()
    assert close_to(rows / distinct - 1, rates.DUPLICATE_DELIVERY, 0.006)
    late = scalar(
        con,
        f"""select avg((received_at - original_timestamp::timestamptz::timestamp > interval 1 day)::int)
            from (select distinct on (message_id) * from {web})""",
    )
    assert close_to(late, rates.LATE_ARRIVAL, 0.008)


def test_messiness_rates(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    orders = landing(base, "shop.orders")
    junk = ", ".join(f"'{v}'" for v in ("test@test.com", "noemail@example.com", "n/a", "none", "-", "null"))
    stats = con.execute(f"""
        select
            avg((billing_country is null)::int),
            avg((email in {_junk_emails()})::int) filter (where email is not null),
            avg((email != lower(trim(email)))::int) filter (where email not in {_junk_emails()}),
            avg((email like '%+%')::int) filter (where email not in {_junk_emails()}),
            avg((phone is null)::int)
        from {orders}
    """).fetchone()
    missing_country, junk_email, cased_or_spaced, plus_tag, missing_phone = stats
    assert close_to(missing_country, rates.COUNTRY_MISSING, 0.015)
    assert close_to(junk_email, rates.JUNK_EMAIL, 0.006)
    case_and_space = rates.EMAIL_UPPER + rates.EMAIL_MIXED_CASE + rates.EMAIL_WHITESPACE
    assert close_to(cased_or_spaced, case_and_space, 0.02)
    assert close_to(plus_tag, rates.EMAIL_PLUS_TAG, 0.01)
    assert close_to(missing_phone, rates.MISSING["shop.orders.phone"], 0.03)
    assert junk  # the list above is a subset of the junk values
    # Names without a nickname: one kind of mess per record at the configured rates.
    first_names = scalar(
        con,
        f"""select avg((o.billing_first_name is distinct from p.first_name)::int)
            from {orders} as o
            join {owner(base, "shop.orders", "o.id")}
            join {persons(base)} as p using (person_id)
            where p.nickname is null""",
    )
    name_mess = rates.NAME_TYPO + rates.NAME_LOWER + rates.NAME_UPPER + rates.NAME_WHITESPACE
    assert close_to(first_names, name_mess, 0.025)
    # The cashier's default: some till phones are the store's own number.
    pos = landing(base, "pos.transactions")
    store_numbers = ", ".join(f"'{s.phone_nsn[-7:]}'" for s in STORES)
    store_share = scalar(
        con,
        f"""select avg((right({digits("customer_phone")}, 7) in ({store_numbers}))::int)
            from {pos} where customer_phone is not null""",
    )
    assert close_to(store_share, rates.STORE_DEFAULT_PHONE, 0.03)


def _junk_emails() -> str:
    from cdp_sample.reference import JUNK_EMAILS

    return "(" + ", ".join(f"'{v}'" for v in JUNK_EMAILS) + ")"


def test_country_spellings_and_phone_formats_vary(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    contacts = landing(base, "crm.contacts")
    spellings = {r[0] for r in con.execute(f"select distinct country from {contacts}").fetchall()}
    assert {"US", "United States", "UK", "Germany"} <= spellings or len(spellings) > 30
    phones = [
        r[0]
        for r in con.execute(
            f"select phone from {landing(base, 'shop.customers')} where phone is not null"
        ).fetchall()
    ]
    assert any(p.startswith("+1") for p in phones) and any(p.startswith("(") for p in phones)
    assert any(p.startswith("00") for p in phones) and any("(0)" in p for p in phones)


# ------------------------------------------------------------------------------------------ households


def test_shared_family_emails_exist(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    shared = scalar(
        con,
        f"""
        with emails as (
            select 'loyalty' as source, 'members' as entity, member_id::varchar as record_id,
                lower(trim(email)) as email from {landing(base, "loyalty.members")}
            union all select 'esp', 'profiles', id, lower(trim(email)) from {landing(base, "esp.profiles")}
            union all select 'support', 'tickets', id::varchar, lower(trim(requester_email))
                from {landing(base, "support.tickets")}
        )
        select count(*) from (
            select e.email from emails as e
            join {truth(base)} as t using (source, entity, record_id)
            join {persons(base)} as p using (person_id)
            where e.email is not null
            group by e.email having count(distinct p.person_id) >= 2 and count(distinct p.household_id) = 1
        )""",
    )
    assert shared >= 5


def test_shared_tablets_exist(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    tablets = scalar(
        con,
        f"""
        select count(*) from (
            select a.device_id from {landing(base, "app.events")} as a
            join {owner(base, "app.events", "a.event_id")}
            join {persons(base)} as p using (person_id)
            group by a.device_id
            having count(distinct a.user_id) >= 2 and count(distinct p.household_id) = 1
        )""",
    )
    assert tablets >= 3


# ---------------------------------------------------------------------- one record per email or phone

# Systems that keep one record per email (case and spaces ignored) or per phone, and the columns.
DEDUPLICATING = {
    "shop.customers": ("id", {"email": "email", "phone": "phone"}),
    "crm.contacts": ("vid", {"email": "email"}),
    "esp.profiles": ("id", {"email": "email", "phone": "phone_number"}),
}


def normalised(kind: str, column: str) -> str:
    if kind == "email":
        return f"nullif(lower(trim({column})), '')"
    return f"nullif(right({digits(column)}, 9), '')"  # national and international writings of one number


def test_systems_that_deduplicate_hold_one_record_per_email_and_phone(
    base: Path, batched: Path, con: duckdb.DuckDBPyConnection
) -> None:
    junk = {"email": JUNK_EMAILS, "phone": JUNK_PHONES}
    for out in (base, batched):
        for key, (id_column, fields) in DEDUPLICATING.items():
            for kind, column in fields.items():
                value = normalised(kind, column)
                shared = con.execute(f"""
                    select {value}, list(distinct {id_column}) from {landing(out, key)}
                    where {value} is not null group by 1 having count(distinct {id_column}) > 1 limit 5
                """).fetchall()
                assert not shared, (out.name, key, kind, shared)
                # the system validates what it deduplicates on: no junk values
                values = ", ".join(f"'{v}'" for v in junk[kind])
                rejected = (
                    f"select count(*) from {landing(out, key)} where lower(trim({column})) in ({values})"
                )
                assert scalar(con, rejected) == 0, (key, kind)


def test_second_records_in_deduplicating_systems_are_other_addresses(
    base: Path, con: duckdb.DuckDBPyConnection
) -> None:
    """A person's second shop account / ESP profile / CRM contact exists, with another address (or none)."""
    for key in DEDUPLICATING:
        source, entity = key.split(".")
        people = scalar(
            con,
            f"""select count(*) from (
                select t.person_id from {truth(base)} as t where source = '{source}' and entity = '{entity}'
                group by 1 having count(*) >= 2)""",
        )
        assert people >= 20, key
    # second shop accounts and ESP profiles (the later one): another address and never a phone
    for key, created, phone in (
        ("esp.profiles", "created", "phone_number"),
        ("shop.customers", "created_at", "phone"),
    ):
        seconds = con.execute(f"""
            with owned as (
                select p.id, p.{phone} as phone, t.person_id,
                    dense_rank() over (partition by t.person_id order by p.{created}, p.id) as nth
                from {landing(base, key)} as p join {owner(base, key, "p.id")}
            )
            select bool_and(phone is null), count(distinct id) from owned where nth = 2
        """).fetchone()
        assert seconds[0] and seconds[1] >= 20, key


def test_family_member_acts_on_the_heads_esp_profile(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    profiles, subscriptions = landing(base, "esp.profiles"), landing(base, "esp.subscriptions")
    rows = con.execute(f"""
        with profile_owner as (
            select distinct p.id, lower(trim(p.email)) as email, t.person_id
            from {profiles} as p join {owner(base, "esp.profiles", "p.id")}
        ),
        families as (
            select m.person_id as member, h.person_id as head, lower(m.family_email) as family_email
            from {persons(base)} as m join {persons(base)} as h on h.person_id = m.household_id
            where m.family_email is not null and m.archetype = 'standard' and h.archetype = 'standard'
        ),
        heads_profile as (
            select f.*, o.id as profile_id from families as f
            join profile_owner as o on o.person_id = f.head and o.email = f.family_email
        ),
        subscribed as (
            select profile_id, count(*) as n from {subscriptions}
            where channel = 'email' and consent = 'SUBSCRIBED' group by 1
        )
        select
            count(*),
            -- nobody but the head owns a profile holding the family email
            count(*) filter (where exists (
                select 1 from profile_owner as o where o.email = h.family_email and o.person_id <> h.head)),
            -- the member's own sign-up landed on the head's profile: two SUBSCRIBED, not one
            avg((s.n >= 2)::int)
        from heads_profile as h left join subscribed as s using (profile_id)
    """).fetchone()
    shared, foreign_owner, resubscribed = rows
    assert shared >= 10 and foreign_owner == 0
    assert resubscribed >= 0.9
    others = scalar(
        con,
        f"""select avg((n >= 2)::int) from (
            select profile_id, count(*) as n from {subscriptions}
            where channel = 'email' and consent = 'SUBSCRIBED' group by 1)""",
    )
    assert others < 0.25
    # every subscription change carries an address its profile holds (mailbox: case, +tags, gmail dots)
    mailbox = "regexp_replace(lower(trim({0})), '\\+[^@]*@', '@')"
    stray = scalar(
        con,
        f"""
        with held as (select distinct id, {mailbox.format("email")} as box from {profiles})
        select count(*) from {subscriptions} as s
        where not exists (select 1 from held as h where h.id = s.profile_id
            and replace(h.box, '.', '') = replace({mailbox.format("s.email")}, '.', ''))""",
    )
    assert stray == 0


# ------------------------------------------------------------------------ probabilistic-only records

# Identifiers each landing table carries: (id type, normalised value) expressions.
IDENTIFIERS = {
    "shop.customers": ("id", {"shop_customer": "id::varchar", "email": "email", "phone": "phone"}),
    "shop.orders": ("id", {"shop_customer": "customer_id::varchar", "email": "email", "phone": "phone"}),
    "shop.checkouts": ("id", {"shop_customer": "customer_id::varchar", "email": "email", "phone": "phone"}),
    "crm.contacts": ("vid", {"crm_contact": "vid::varchar", "email": "email", "phone": "phone"}),
    "web.events": ("message_id", {"shop_customer": "user_id", "email": "email", "cookie": "anonymous_id"}),
    "app.events": ("event_id", {"shop_customer": "user_id", "device": "device_id"}),
    "pos.transactions": ("transaction_id", {"card": "loyalty_card_number", "phone": "customer_phone"}),
    "loyalty.members": (
        "member_id",
        {"member": "member_id::varchar", "card": "card_number", "email": "email", "phone": "phone"},
    ),
    "support.tickets": ("id", {"email": "requester_email", "phone": "requester_phone"}),
    "esp.profiles": ("id", {"esp_profile": "id", "email": "email", "phone": "phone_number"}),
    "esp.events": ("id", {"esp_profile": "profile_id"}),
    "esp.subscriptions": ("id", {"esp_profile": "profile_id", "email": "email", "phone": "phone_number"}),
}


def identifier_value(kind: str, column: str) -> str:
    if kind == "email":  # the mailbox: case, spaces, +tags and gmail dots do not count
        box = f"regexp_replace(lower(trim({column})), '\\+[^@]*@', '@')"
        return f"nullif(replace(split_part({box}, '@', 1), '.', '') || '@' || split_part({box}, '@', 2), '@')"
    if kind == "phone":
        return normalised("phone", column)
    if kind == "card":
        return f"nullif({digits(column)}, '')"
    return column


def identifiers_sql(out: Path) -> str:
    parts = []
    for key, (id_column, fields) in IDENTIFIERS.items():
        source, entity = key.split(".")
        for kind, column in fields.items():
            parts.append(
                f"select '{source}' as source, '{entity}' as entity, {id_column}::varchar as record_id,"
                f" '{kind}' as kind, {identifier_value(kind, column)} as value from {landing(out, key)}"
            )
    return "(" + " union all ".join(parts) + ")"


def test_probabilistic_only_records_share_no_identifier(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    links = f"read_parquet('{base}/truth/probabilistic_links.parquet')"
    con.execute(
        f"create or replace temp table ids as select distinct * from {identifiers_sql(base)}"
        " where value is not null"
    )
    count, in_truth = con.execute(f"""
        select count(*), count(t.person_id) from {links} as k
        left join {truth(base)} as t using (source, entity, record_id, person_id)
    """).fetchone()
    assert count == in_truth > 0
    assert {r[0] for r in con.execute(f"select distinct source from {links}").fetchall()} == {
        "crm", "loyalty", "support"
    }  # fmt: skip
    # Each carries at least one identifier of its own, and none that any other record carries.
    own = con.execute(f"""
        select k.record_id, count(i.value) from {links} as k
        left join ids as i using (source, entity, record_id)
        group by 1 having count(i.value) = 0
    """).fetchall()
    assert not own
    shared = con.execute(f"""
        select k.source, k.record_id, i.kind, i.value from {links} as k
        join ids as i using (source, entity, record_id)
        join ids as o on o.kind = i.kind and o.value = i.value
            and (o.source, o.entity, o.record_id) <> (k.source, k.entity, k.record_id)
        limit 5
    """).fetchall()
    assert not shared
    # ... while the person has other records, in the shop at least (a second system)
    lonely = scalar(
        con,
        f"""select count(*) from {links} as k where not exists (
            select 1 from {truth(base)} as t where t.person_id = k.person_id and t.source = 'shop')""",
    )
    assert lonely == 0


def test_probabilistic_only_records_resemble_their_person(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    links = f"read_parquet('{base}/truth/probabilistic_links.parquet')"
    names = f"""
        select 'crm' as source, vid::varchar as record_id, firstname as first, lastname as last,
            zip as postal, country, null::date as birth_date from {landing(base, "crm.contacts")}
        union all
        select 'loyalty', member_id::varchar, first_name, last_name, postal_code, country, birth_date
        from {landing(base, "loyalty.members")}
        union all
        select 'support', id::varchar,
            case when contains(requester_name, ', ') then split_part(requester_name, ', ', 2)
                 else split_part(requester_name, ' ', 1) end,
            case when contains(requester_name, ', ') then split_part(requester_name, ', ', 1)
                 else substr(requester_name, strpos(requester_name, ' ') + 1) end,
            null, null, null
        from {landing(base, "support.tickets")}
    """
    rows = con.execute(f"""
        select k.source,
            damerau_levenshtein(lower(r.last), lower(p.last_name)) <= 1 as last_ok,
            lower(r.first) in (lower(p.first_name), lower(coalesce(p.nickname, '')))
                or damerau_levenshtein(lower(r.first), lower(p.first_name)) <= 1 as first_ok,
            r.postal is null and k.source = 'support'
                or replace(upper(trim(r.postal)), ' ', '') = replace(p.postal_code, ' ', '') as postal_ok,
            (r.country is not null) = (k.source <> 'support') as country_ok,
            k.source <> 'loyalty' or r.birth_date = p.birth_date as birth_ok,
            r.last = p.last_name and r.first = p.first_name as exact
        from {links} as k
        join ({names}) as r using (source, record_id)
        join {persons(base)} as p using (person_id)
    """).fetchall()
    assert len(rows) == scalar(con, f"select count(*) from {links}")
    for source, *checks, _ in rows:
        assert all(checks), (source, checks)
    exact = sum(row[-1] for row in rows) / len(rows)
    assert 0.3 <= exact <= 0.8  # names are often, not always, written exactly as elsewhere


def test_probabilistic_only_rates(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    links = f"read_parquet('{base}/truth/probabilistic_links.parquet')"
    eligible = scalar(
        con,
        f"""select count(distinct t.person_id) from {truth(base)} as t
            join {persons(base)} as p using (person_id)
            where t.source = 'shop' and t.entity in ('customers', 'orders') and p.archetype = 'standard'""",
    )
    count = scalar(con, f"select count(*) from {links}")
    assert scalar(con, f"select count(distinct person_id) from {links}") == count  # one per person at most
    # a few eligible people use every system, so a little below the rate
    assert close_to(count / eligible, rates.PROBABILISTIC_RECORD * 0.97, 0.015)
    assert 0.025 <= count / CUSTOMERS <= 0.045
    shares = dict(con.execute(f"select source, count(*) / {count} from {links} group by 1").fetchall())
    total = sum(rates.PROBABILISTIC_SYSTEM.values())
    for system, weight in rates.PROBABILISTIC_SYSTEM.items():
        assert close_to(shares[system], weight / total, 0.08), system


def test_negative_temptations_for_probabilistic_matching(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    people = persons(base)
    # household members: the same last name and postal code, different people
    same_house = scalar(
        con,
        f"""select count(*) from {people} as a join {people} as b
            on a.household_id = b.household_id and a.person_id < b.person_id
            and a.last_name = b.last_name and a.postal_code = b.postal_code""",
    )
    assert same_house >= 0.1 * CUSTOMERS
    # name twins: same first and last name, country and postal code; another household, other identifiers
    twins = con.execute(f"""
        select count(*),
            count(*) filter (where a.first_name = b.first_name and a.last_name = b.last_name
                and a.country = b.country and a.postal_code = b.postal_code
                and a.household_id <> b.household_id and a.email <> b.email
                and a.phone_e164 <> b.phone_e164 and a.household_size = 1)
        from {people} as a join {people} as b on b.person_id = a.name_twin_of
    """).fetchone()
    assert twins[0] == twins[1]
    alone = scalar(con, f"select count(*) from {people} where household_size = 1")
    assert close_to(twins[0] / alone, rates.NAME_TWIN, 0.005)


# --------------------------------------------------------------------------------------------- phones


def test_phones_are_valid_for_their_country(base: Path, con: duckdb.DuckDBPyConnection) -> None:
    store_numbers = {s.phone_nsn for s in STORES}
    sample = con.execute(f"""
        with phones as (
            select 'shop' as source, 'customers' as entity, id::varchar as record_id, phone
                from {landing(base, "shop.customers")}
            union all select 'crm', 'contacts', vid::varchar, phone from {landing(base, "crm.contacts")}
            union all select 'loyalty', 'members', member_id::varchar, phone
                from {landing(base, "loyalty.members")}
            union all select 'support', 'tickets', id::varchar, requester_phone
                from {landing(base, "support.tickets")}
            union all select 'esp', 'profiles', id, phone_number from {landing(base, "esp.profiles")}
            union all select 'pos', 'transactions', transaction_id, customer_phone
                from {landing(base, "pos.transactions")}
        )
        select distinct ph.phone, p.country from phones as ph
        join {truth(base)} as t using (source, entity, record_id)
        join {persons(base)} as p using (person_id)
        where ph.phone is not null
        order by hash(ph.phone) limit 3000
    """).fetchall()
    checked = valid = 0
    for phone, country in sample:
        if phone in JUNK_PHONES or phone.replace("-", "") in JUNK_PHONES:
            continue
        number = phonenumbers.parse(phone, country)
        if str(number.national_number) in store_numbers:
            continue
        checked += 1
        valid += phonenumbers.is_valid_number_for_region(number, country)
    assert checked > 1000
    assert valid / checked >= 0.97
    truth_phones = con.execute(f"select phone_e164, country from {persons(base)}").fetchall()
    assert all(phonenumbers.is_valid_number_for_region(phonenumbers.parse(p), c) for p, c in truth_phones)


# -------------------------------------------------------------------------------------------- batches


def test_batches_append_later_files(base: Path, batched: Path, con: duckdb.DuckDBPyConnection) -> None:
    for key in load_contract():
        before = scalar(con, f"select max(_loaded_at) from {landing(batched, key, '00000-*')}")
        files = list((batched / "landing" / key.replace(".", "/")).glob("part-00001-*.parquet"))
        if files:
            after = scalar(con, f"select min(_loaded_at) from {landing(batched, key, '00001-*')}")
            assert after > before, key
        names = sorted(p.name for p in (batched / "landing" / key.replace(".", "/")).glob("*.parquet"))
        assert names == sorted(names) and names[0].startswith("part-00000")
    web1 = scalar(con, f"select min(_loaded_at) from {landing(batched, 'web.events', '00001-*')}")
    web2 = scalar(con, f"select min(_loaded_at) from {landing(batched, 'web.events', '00002-*')}")
    assert web2 > web1
    base_rows = sum(json.loads((base / "truth" / "manifest.json").read_text())["landing_rows"]["0"].values())
    report = json.loads((batched / "truth" / "batches" / "batch-1.json").read_text())
    assert 0.005 * base_rows <= sum(report["landing_rows"].values()) <= 0.02 * base_rows
    assert {"new_person", "activity", "new_identifier", "merge", "profile_update"} <= set(report["kinds"])
    assert all(kind["people"] > 0 for kind in report["kinds"].values())
    # The base's own files are untouched: the batched copy still has the base's rows.
    for key in ("web.events", "shop.customers"):
        assert scalar(con, f"select count(*) from {landing(batched, key, '00000-*')}") == scalar(
            con, f"select count(*) from {landing(base, key)}"
        )


def test_batch_truth_and_new_people(base: Path, batched: Path, con: duckdb.DuckDBPyConnection) -> None:
    records = truth(batched)
    assert scalar(con, f"select count(*) - count(distinct (source, entity, record_id)) from {records}") == 0
    for key, column in ID_COLUMNS.items():
        source, entity = key.split(".")
        ids = f"(select distinct {column}::varchar as record_id from {landing(batched, key)})"
        known = f"(select record_id from {records} where source = '{source}' and entity = '{entity}')"
        assert scalar(con, f"select count(*) from {ids} anti join {known} using (record_id)") == 0, key
    report = json.loads((batched / "truth" / "batches" / "batch-1.json").read_text())
    first, last = report["new_person_ids"]
    assert first == CUSTOMERS + 1
    assert scalar(
        con, f"select count(*) from {persons(batched)} where person_id between {first} and {last}"
    ) == (last - first + 1)
    assert scalar(con, f"select count(*) - count(distinct email) from {persons(batched)}") == 0


def test_batch_new_identifier_joins_a_known_phone(batched: Path, con: duckdb.DuckDBPyConnection) -> None:
    report = json.loads((batched / "truth" / "batches" / "batch-1.json").read_text())
    people = ", ".join(map(str, report["kinds"]["new_identifier"]["example_person_ids"]))
    tickets = con.execute(f"""
        select k.requester_email, k.requester_phone, p.first_email, p.email
        from {landing(batched, "support.tickets", "00001-*")} as k
        join {owner(batched, "support.tickets", "k.id")}
        join {persons(batched)} as p using (person_id)
        where p.person_id in ({people})
    """).fetchall()
    assert tickets
    for new_email, phone, first_email, email in tickets:
        assert new_email not in (first_email, email) and phone is not None
        seen_before = scalar(
            con,
            f"select count(*) from {landing(batched, 'support.tickets', '00000-*')} "
            f"where requester_email = '{new_email}'",
        )
        assert seen_before == 0


def test_batch_merge_links_guest_email_and_loyalty_phone(
    batched: Path, con: duckdb.DuckDBPyConnection
) -> None:
    report = json.loads((batched / "truth" / "batches" / "batch-1.json").read_text())
    people = ", ".join(map(str, report["kinds"]["merge"]["example_person_ids"]))
    merged = con.execute(f"""
        with account as (
            select t.person_id, lower(trim(c.email)) as email, {digits("c.phone")} as phone
            from {landing(batched, "shop.customers", "00001-*")} as c
            join {owner(batched, "shop.customers", "c.id")}
            where t.person_id in ({people})
        ),
        guest as (
            select t.person_id, lower(trim(o.email)) as email
            from {landing(batched, "shop.orders", "00000-*")} as o
            join {owner(batched, "shop.orders", "o.id")}
            where o.customer_id is null
        ),
        card as (
            select t.person_id, {digits("m.phone")} as phone
            from {landing(batched, "loyalty.members", "00000-*")} as m
            join {owner(batched, "loyalty.members", "m.member_id")}
        )
        select a.person_id,
            exists (select 1 from guest as g where g.person_id = a.person_id and g.email = a.email),
            exists (select 1 from card as c where c.person_id = a.person_id
                    and right(c.phone, 8) = right(a.phone, 8))
        from account as a
    """).fetchall()
    assert merged
    assert all(by_email and by_phone for _, by_email, by_phone in merged)


def test_batch_profile_updates_are_later_versions(batched: Path, con: duckdb.DuckDBPyConnection) -> None:
    versions = con.execute(f"""
        select b.id, b.updated_at, max(a.updated_at)
        from {landing(batched, "shop.customers", "00001-*")} as b
        join {landing(batched, "shop.customers", "00000-*")} as a using (id)
        group by all
    """).fetchall()
    assert versions
    assert all(new > old for _, new, old in versions)


def test_freshness_scenario(batched: Path, con: duckdb.DuckDBPyConnection) -> None:
    report = json.loads((batched / "truth" / "batches" / "batch-2.json").read_text())
    assert report["scenario"] == "freshness"
    assert 1000 <= sum(report["landing_rows"].values()) <= 6000
    assert report["purchases"] and report["opt_outs"]
    for purchase in report["purchases"]:
        orders = landing(batched, "shop.orders", "00002-*")
        order = con.execute(f"select customer_id from {orders} where id = {purchase['order_id']}").fetchone()
        assert order == (purchase["shop_customer_id"],)
        abandoned = scalar(
            con,
            f"select count(*) from {landing(batched, 'shop.checkouts', '0000[01]-*')} "
            f"where customer_id = {purchase['shop_customer_id']} and completed_at is null",
        )
        assert abandoned >= 1
    # Purchasers are taken first among recent abandoners: the CDP lists them as cart abandoners.
    shop_ids = ", ".join(str(p["shop_customer_id"]) for p in report["purchases"])
    recent = scalar(
        con,
        f"select count(distinct customer_id) from {landing(batched, 'shop.checkouts', '0000[01]-*')} "
        f"where customer_id in ({shop_ids}) and completed_at is null and created_at::timestamptz "
        f">= timestamptz '{report['loaded_at']}' - interval {rates.FRESHNESS_ABANDONED_WITHIN_DAYS + 1} day",
    )
    assert recent >= 1
    for opt_out in report["opt_outs"]:
        before = con.execute(f"""
            select consent from {landing(batched, "esp.subscriptions", "0000[01]-*")}
            where profile_id = '{opt_out["profile_id"]}' and channel = 'email'
            order by consented_at desc limit 1
        """).fetchone()
        now = con.execute(f"""
            select consent from {landing(batched, "esp.subscriptions", "00002-*")}
            where profile_id = '{opt_out["profile_id"]}'
        """).fetchall()
        assert before == ("SUBSCRIBED",) and now == [("UNSUBSCRIBED",)]


def test_batch_redeliveries_are_earlier_events_delivered_again(
    batched: Path, con: duckdb.DuckDBPyConnection
) -> None:
    tables = {"web.events": "message_id", "app.events": "event_id", "esp.events": "id"}
    seen = 0
    for batch in (1, 2):
        report = json.loads((batched / "truth" / "batches" / f"batch-{batch}.json").read_text())
        redelivered = report["redelivered_event_ids"]
        assert set(redelivered) == set(tables), batch
        for key, id_column in tables.items():
            ids = redelivered[key]
            new_rows = report["landing_rows"][key] - len(ids)
            expected = max(1, round(rates.REDELIVERED_EVENTS * new_rows)) if new_rows else 0
            assert len(ids) == expected, (batch, key)
            seen += len(ids)
            listed = ", ".join(f"'{i}'" for i in ids)
            this, before = (
                landing(batched, key, f"{batch:05d}-*"),
                landing(batched, key, f"0000[0-{batch - 1}]-*"),
            )
            columns = [row[0] for row in con.execute(f"describe select * from {this}").fetchall()]
            payload = ", ".join(c for c in columns if c != "_loaded_at")
            # identical payload to a copy an earlier load delivered, and the batch's own _loaded_at
            differing = scalar(
                con,
                f"""select count(*) from (
                    select {payload} from {this} where {id_column} in ({listed})
                    except select {payload} from {before} where {id_column} in ({listed}))""",
            )
            assert differing == 0, (batch, key)
            loaded = con.execute(
                f"select distinct _loaded_at from {this} where {id_column} in ({listed})"
            ).fetchall()
            assert loaded == [(dt.datetime.fromisoformat(AS_OF) + dt.timedelta(hours=batch),)]
            assert scalar(
                con, f"select count(distinct {id_column}) from {this} where {id_column} in ({listed})"
            ) == len(ids)
    assert seen >= 6


def test_batch_late_events_happened_days_before_the_load(
    batched: Path, con: duckdb.DuckDBPyConnection
) -> None:
    event_times = {
        "web.events": ("message_id", "original_timestamp::timestamptz"),
        "app.events": ("event_id", "to_timestamp(event_ts)"),
        "esp.events": ("id", "event_time::timestamptz"),
    }
    history_start = dt.datetime.fromisoformat(AS_OF) - dt.timedelta(days=rates.HISTORY_DAYS)
    late_total = events_total = 0
    for batch in (1, 2):
        report = json.loads((batched / "truth" / "batches" / f"batch-{batch}.json").read_text())
        load = dt.datetime.fromisoformat(AS_OF) + dt.timedelta(hours=batch)
        for key, (id_column, event_time) in event_times.items():
            ids = report["late_event_ids"][key]
            this = landing(batched, key, f"{batch:05d}-*")
            redelivered = ", ".join(f"'{i}'" for i in report["redelivered_event_ids"][key])
            events_total += scalar(
                con,
                f"select count(distinct {id_column}) from {this} where {id_column} not in ({redelivered})",
            )
            late_total += len(ids)
            if not ids:
                continue
            listed = ", ".join(f"'{i}'" for i in ids)
            first, last = con.execute(
                f"select min({event_time}), max({event_time}) from {this} where {id_column} in ({listed})"
            ).fetchone()
            assert first.replace(tzinfo=None) > history_start and last.replace(
                tzinfo=None
            ) < load - dt.timedelta(days=1)
            # new events (first delivered now), not redeliveries, each a truth record of its own
            before = landing(batched, key, f"0000[0-{batch - 1}]-*")
            assert scalar(con, f"select count(*) from {before} where {id_column} in ({listed})") == 0
            source, entity = key.split(".")
            known = scalar(
                con,
                f"select count(*) from {truth(batched)} where source = '{source}' and entity = '{entity}'"
                f" and record_id in ({listed})",
            )
            assert known == len(ids)
    assert late_total >= 10
    # existing people's events only, so a little below LATE_ARRIVAL
    assert 0.3 * rates.LATE_ARRIVAL <= late_total / events_total <= 1.5 * rates.LATE_ARRIVAL


def test_batches_must_follow_in_order(batched: Path) -> None:
    with pytest.raises(SystemExit, match="the next is 3"):
        main([*ARGS, "--out", str(batched), "--batch", "5"])


def test_readme_documents_every_rate() -> None:
    readme = (Path(rates.__file__).parent.parent / "README.md").read_text()
    undocumented = [name for name in dir(rates) if name.isupper() and f"`{name}`" not in readme]
    assert not undocumented
