"""The normalisation macros (macros/normalize) against Python expectations, on every engine.

Each group below is one macro call and a table of inputs with the value it must return. The same groups
run on DuckDB (the default target), on Spark (PySpark local mode, marked ``spark``) and on the Snowflake
emulation fakesnow (marked ``snowflake``); every Snowflake compilation must also parse as Snowflake SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import duckdb
import pytest
import sqlglot
from normalize_harness import (
    CASES_RAW_COLUMNS,
    CASES_VIEW,
    Group,
    case_rows,
    check_results,
    compile_sql,
    group_templates,
    macro_manifest,
    rejection_reasons,
    run_groups,
    spark_session,
    to_naive_utc,
)

T = dt.datetime


def _paired(
    value_macro: str, reason_macro: str, args: str, rows: Sequence[tuple[dict[str, Any], Any, str | None]]
) -> list[Group]:
    """A value macro and its rejection-reason macro over the same inputs."""
    return [
        Group(value_macro, f"cdp.{value_macro}({args})", [(inputs, value) for inputs, value, _ in rows]),
        Group(reason_macro, f"cdp.{reason_macro}({args})", [(inputs, reason) for inputs, _, reason in rows]),
    ]


def text(value: str | None, arg: str | None = None) -> dict[str, Any]:
    return {"text_value": value, "arg": arg}


EMAILS = [
    (text("  Jane.Doe@Shop.COM "), "jane.doe@shop.com", None),
    (text("jane doe@gmail.com"), "janedoe@gmail.com", None),
    (text("J.Smith+news@GMAIL.com"), "j.smith+news@gmail.com", None),
    (text("o'brien@shop.ie"), "o'brien@shop.ie", None),
    (text("first.last@sub.domain.co.uk"), "first.last@sub.domain.co.uk", None),
    (text("jane@"), None, "invalid_format"),
    (text("@gmail.com"), None, "invalid_format"),
    (text("jane@gmail"), None, "invalid_format"),
    (text("jane..doe@gmail.com"), None, "invalid_format"),
    (text(".jane@gmail.com"), None, "invalid_format"),
    (text("jane@gmail..com"), None, "invalid_format"),
    (text("jane@-gmail.com"), None, "invalid_format"),
    (text("jane@@gmail.com"), None, "invalid_format"),
    (text("jane@gmail.com."), None, "invalid_format"),
    (text("jané@example.fr"), None, "invalid_format"),
    (text("jane,doe@gmail.com"), None, "invalid_format"),
    (text("jane&doe@gmail.com"), None, "invalid_format"),
    (text("a" * 65 + "@gmail.com"), None, "invalid_length"),
    (text(""), None, "blank"),
    (text(" \t "), None, "blank"),
    (text("n/a"), None, "placeholder"),
    (text("NONE"), None, "placeholder"),
    (text("test@test.com"), None, "placeholder"),
    (text("noreply@shop.com"), None, "placeholder"),
    (text("jane@example.com"), None, "placeholder"),
    (text("jane@shop.test"), None, "placeholder"),
    (text(None), None, None),
]

EMAIL_MATCH_KEYS = [
    (text("j.smith+news@gmail.com"), "jsmith@gmail.com"),
    (text("j.smith@googlemail.com"), "jsmith@gmail.com"),
    (text("jane.doe+promo@yahoo.com"), "jane.doe@yahoo.com"),
    (text("jane.doe@yahoo.com"), "jane.doe@yahoo.com"),
    (text("+tag@shop.com"), None),
    (text(None), None),
]

PHONES = [
    # The forms the brief names (NANP exchange codes start 2-9, so 555-234-... rather than 555-123-...).
    (text("1-555-234-4567", "US"), "+15552344567", None),
    (text("+1 (555) 234-4567", "US"), "+15552344567", None),
    (text("555.234.4567", "US"), "+15552344567", None),
    (text("07700 900123", "GB"), "+447700900123", None),
    (text("+44 (0)20 7946 0018", "US"), "+442079460018", None),
    (text("0044 20 7946 0018", "GB"), "+442079460018", None),
    (text("0044 20 7946 0018", "US"), "+442079460018", None),
    (text("011 44 20 7946 0018", "US"), "+442079460018", None),
    (text("447700900123", "GB"), "+447700900123", None),
    (text("555-234-4567 x123", "US"), "+15552344567", None),
    (text("+44 20 7946 0018 ext. 12", "GB"), "+442079460018", None),
    # Other countries and spellings.
    (text("(415) 555-2671", "US"), "+14155552671", None),
    (text("+1 416 555 0123", None), "+14165550123", None),
    (text("06 12 34 56 78", "FR"), "+33612345678", None),
    (text("030 123456", "DE"), "+4930123456", None),
    (text("06 1234 5678", "IT"), "+390612345678", None),
    (text("+39 06 1234 5678", None), "+390612345678", None),
    (text("612 34 56 78", "ES"), "+34612345678", None),
    (text("0412 345 678", "AU"), "+61412345678", None),
    (text("0011 44 20 7946 0018", "AU"), "+442079460018", None),
    (text("021 123 4567", "NZ"), "+64211234567", None),
    (text("98765 43210", "IN"), "+919876543210", None),
    (text("55 1234 5678", "MX"), "+525512345678", None),
    (text("+7 912 345-67-89", "US"), "+79123456789", None),
    (text("020 7946 0018", " gb "), "+442079460018", None),
    (text("20 7946 0018", "GB"), "+442079460018", None),
    # Rejections.
    (text("0000000000", "US"), None, "repeated_digits"),
    (text("+44 7777 777777", "US"), None, "repeated_digits"),
    (text("", "US"), None, "blank"),
    (text("n/a", "US"), None, "placeholder"),
    (text("555-CALL-NOW", "US"), None, "invalid_format"),
    (text("+1 123 456 7890", "US"), None, "invalid_format"),
    (text("1-555-123-4567", "US"), None, "invalid_format"),
    (text("1 1 555 234 4567", "US"), "+15552344567", None),
    (text("+999 1234 5678", "US"), None, "invalid_country_code"),
    (text("020 7946 0018", None), None, "unknown_country"),
    (text("020 7946 0018", "XX"), None, "unknown_country"),
    (text("12345", "US"), None, "invalid_length"),
    (text("+44 20 7946 00189", "US"), None, "invalid_length"),
    (text("+49 1234", "DE"), None, "invalid_length"),
    (text("+7 12345", "US"), None, "invalid_length"),
    (text(None, "US"), None, None),
]

NAMES = [
    (text("  mary-jane   O'NEIL "), "Mary-Jane O'Neil", None),
    (text("JOHN"), "John", None),
    (text("josé"), "José", None),
    (text("ÉMILE zola"), "Émile Zola", None),
    (text("van der berg"), "Van Der Berg", None),
    (text("d\u2019angelo"), "D\u2019Angelo", None),  # typographic apostrophe
    (text("n/a"), None, "placeholder"),
    (text("Guest"), None, "placeholder"),
    (text("---"), None, "placeholder"),
    (text("12345"), None, "invalid_format"),
    (text("J0hn"), None, "invalid_format"),
    (text("jane@shop.com"), None, "invalid_format"),
    (text("''"), None, "invalid_format"),
    (text("x" * 101), None, "invalid_length"),
    (text(""), None, "blank"),
    (text(None), None, None),
]

FULL_NAMES = [
    ("Jane Smith", "Jane", "Smith"),
    ("smith, jane", "Jane", "Smith"),
    ("Smith,Jane Ann", "Jane", "Smith"),
    ("Jane Ann Smith", "Jane", "Smith"),
    ("jane van der berg", "Jane", "Van Der Berg"),
    ("Maria de la Cruz", "Maria", "De La Cruz"),
    ("mary-jane o'neil", "Mary-Jane", "O'Neil"),
    ("Cher", "Cher", None),
    ("  ", None, None),
    ("n/a", None, None),
    (None, None, None),
]

COUNTRIES = [
    (text("US"), "US", None),
    (text("usa"), "US", None),
    (text("U.S.A."), "US", None),
    (text("United States of America"), "US", None),
    (text(" united states "), "US", None),
    (text("UK"), "GB", None),
    (text("gb"), "GB", None),
    (text("Great Britain"), "GB", None),
    (text("England"), "GB", None),
    (text("Deutschland"), "DE", None),
    (text("germany"), "DE", None),
    (text("DEU"), "DE", None),
    (text("France"), "FR", None),
    (text("Espana"), "ES", None),
    (text("ESPAÑA"), "ES", None),
    (text("Holland"), "NL", None),
    (text("The Netherlands"), "NL", None),
    (text("Éire"), "IE", None),
    (text("Côte d'Ivoire"), "CI", None),
    (text("Türkiye"), "TR", None),
    (text("Österreich"), "AT", None),
    (text("Korea, Republic of"), "KR", None),
    (text("NO"), "NO", None),
    (text("NA"), "NA", None),
    (text("n/a"), None, "placeholder"),
    (text("XX"), None, "placeholder"),
    (text("Atlantis"), None, "unknown_country"),
    (text(""), None, "blank"),
    (text(None), None, None),
]

TIMESTAMPS = [
    (text("2024-03-10T12:34:56Z"), T(2024, 3, 10, 12, 34, 56), None),
    (text("2024-03-10T12:34:56.123+02:00"), T(2024, 3, 10, 10, 34, 56, 123000), None),
    (text("2024-03-10 12:34:56-0500"), T(2024, 3, 10, 17, 34, 56), None),
    (text("2024-03-10T12:34:56+05:30"), T(2024, 3, 10, 7, 4, 56), None),
    (text("2024-03-10T23:30:00-03"), T(2024, 3, 11, 2, 30), None),
    (text("2024-03-10T12:34:56.123456789Z"), T(2024, 3, 10, 12, 34, 56, 123456), None),
    (text(" 2024-03-10T12:34 "), T(2024, 3, 10, 12, 34), None),
    (text("2024-03-10"), T(2024, 3, 10), None),
    (text("2024-03-10 12:34:56 UTC"), T(2024, 3, 10, 12, 34, 56), None),
    (text("2024-02-30T00:00:00Z"), None, "unparseable"),
    (text("2024-13-01T00:00:00Z"), None, "unparseable"),
    (text("10/03/2024"), None, "invalid_format"),
    (text("yesterday"), None, "invalid_format"),
    (text(""), None, "blank"),
    (text("n/a"), None, "placeholder"),
    (text(None), None, None),
]
# fakesnow turns TRY_CAST to a timestamp into a plain cast, which fails on 30 February.
TIMESTAMP_FAKESNOW_SKIPS = {
    case_id: "fakesnow: TRY_CAST(... AS TIMESTAMP_NTZ) raises instead of returning NULL"
    for case_id, (_, _, reason) in enumerate(TIMESTAMPS)
    if reason == "unparseable"
}

DECIMALS = [
    (text("12.34"), Decimal("12.34"), None),
    (text("$1,234.56"), Decimal("1234.56"), None),
    (text("-5"), Decimal("-5.00"), None),
    (text("+7.5"), Decimal("7.50"), None),
    (text("1234.555"), Decimal("1234.56"), None),
    (text("0.005"), Decimal("0.01"), None),
    (text(" 19.99 USD"), Decimal("19.99"), None),
    (text("EUR 10"), Decimal("10.00"), None),
    (text("€9.5"), Decimal("9.50"), None),
    (text("1,234"), Decimal("1234.00"), None),
    (text(".5"), Decimal("0.50"), None),
    (text("10,00"), None, "invalid_format"),
    (text("12abc"), None, "invalid_format"),
    (text("1.2.3"), None, "invalid_format"),
    (text("abc"), None, "invalid_format"),
    (text("12345678901.5"), None, "invalid_length"),
    (text(""), None, "blank"),
    (text("n/a"), None, "placeholder"),
    (text(None), None, None),
]

CARD_NUMBERS = [
    (text("6035-1234-9876-5432"), "6035123498765432", None),
    (text(" 0012 3456 78 "), "0012345678", None),
    (text("60351234987654321"), "60351234987654321", None),
    (text("12345678"), None, "placeholder"),
    (text("8765 4321"), None, "placeholder"),
    (text("0000 0000"), None, "repeated_digits"),
    (text("1234"), None, "invalid_length"),
    (text("12345678901234567890"), None, "invalid_length"),
    (text("ABC12345678"), None, "invalid_format"),
    (text("1234.5678.9012"), None, "invalid_format"),
    (text("n/a"), None, "placeholder"),
    (text(""), None, "blank"),
    (text(None), None, None),
]

NEW_YORK, SYDNEY = "America/New_York", "Australia/Sydney"
LOCAL_TIMES = [
    (("2024-01-15 09:00:00", NEW_YORK), T(2024, 1, 15, 14)),
    (("2024-07-15 09:00:00.25", NEW_YORK), T(2024, 7, 15, 13, 0, 0, 250000)),
    (("2024-03-10 01:59:00", NEW_YORK), T(2024, 3, 10, 6, 59)),
    (("2024-03-10 03:00:00", NEW_YORK), T(2024, 3, 10, 7)),
    # Skipped by the spring-forward change: read with the offset before it.
    (("2024-03-10 02:30:00", NEW_YORK), T(2024, 3, 10, 7, 30)),
    # Repeated by the fall-back change: the first occurrence (EDT).
    (("2024-11-03 01:30:00", NEW_YORK), T(2024, 11, 3, 5, 30)),
    (("2024-11-03 02:00:00", NEW_YORK), T(2024, 11, 3, 7)),
    (("2024-04-07 02:30:00", SYDNEY), T(2024, 4, 6, 15, 30)),
    (("2024-06-01 12:00:00", "Europe/London"), T(2024, 6, 1, 11)),
    (("2024-12-25 18:00:00", "Asia/Kolkata"), T(2024, 12, 25, 12, 30)),
    ((None, NEW_YORK), None),
]
LOCAL_FAKESNOW_SKIPS = {
    5: "fakesnow: CONVERT_TIMEZONE reads a repeated wall-clock time as its second occurrence (DuckDB's)",
    7: "fakesnow: CONVERT_TIMEZONE reads a repeated wall-clock time as its second occurrence (DuckDB's)",
}

# fmt: off
GROUPS: list[Group] = [
    Group("sha256_hex", "cdp.sha256_hex('text_value')", [
        (text("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (text(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (text(None), None),
    ]),
    Group("regexp_replace_all", "cdp.regexp_replace_all('text_value', '[0-9]+', '#')", [
        (text("a1b22c333"), "a#b#c#"), (text("abc"), "abc"), (text(None), None),
    ]),
    Group("regexp_replace_all_group_reference",
          r"cdp.regexp_replace_all('text_value', '([a-z]+)-([0-9]+)', '\\2:\\1')", [
        (text("abc-123 de-4"), "123:abc 4:de"),
    ]),
    Group("regexp_full_match", "cdp.regexp_full_match('text_value', 'a.c|xyz')", [
        (text("abc"), True), (text("xabc"), False), (text("abcx"), False), (text("xyz"), True),
        (text("abc\n"), False), (text(None), None),
    ]),
    Group("regexp_full_match_backslash", r"cdp.regexp_full_match('text_value', '\\d+\\s\\w+')", [
        (text("12 ab"), True), (text("12ab"), False),
    ]),
    Group("regexp_extract", "cdp.regexp_extract('text_value', '[0-9]+')", [
        (text("abc-123-45"), "123"), (text("abc"), None), (text(None), None),
    ]),
    Group("regexp_extract_group", "cdp.regexp_extract('text_value', '([a-z]+)-([0-9]+)', 2)", [
        (text("x abc-123"), "123"), (text("abc"), None),
    ]),
    Group("initcap_words", "cdp.initcap_words('text_value')", [
        (text("mary-jane o'neil"), "Mary-Jane O'Neil"), (text("JOHN SMITH"), "John Smith"),
        (text("élodie d'arc"), "Élodie D'Arc"), (text("mcdonald"), "Mcdonald"), (text(""), ""),
        (text(None), None),
    ]),
    Group("fold_accents", "cdp.fold_accents('text_value')", [
        (text("josé müller-łęcka ñ ø ß"), "jose muller-lecka n o s"), (text("plain"), "plain"),
        (text(None), None),
    ]),
    Group("try_cast", "cdp.try_cast('text_value', 'int')", [
        (text("12"), 12), (text("x"), None), (text(None), None),
    ]),
    *_paired("normalize_email", "email_rejection_reason", "'text_value'", EMAILS),
    Group("email_match_key", "cdp.email_match_key('text_value')", EMAIL_MATCH_KEYS),
    *_paired("normalize_phone", "phone_rejection_reason", "'text_value', 'arg'", PHONES),
    Group("normalize_phone_literal_country", "cdp.normalize_phone('text_value', \"'GB'\")", [
        (text("020 7946 0018"), "+442079460018"),
    ]),
    *_paired("normalize_name", "name_rejection_reason", "'text_value'", NAMES),
    Group("split_full_name_first", "cdp.split_full_name_first('text_value')",
          [(text(name), first) for name, first, _ in FULL_NAMES]),
    Group("split_full_name_last", "cdp.split_full_name_last('text_value')",
          [(text(name), last) for name, _, last in FULL_NAMES]),
    *_paired("normalize_country", "country_rejection_reason", "'text_value'", COUNTRIES),
    *[
        Group(group.name, group.call, group.cases, TIMESTAMP_FAKESNOW_SKIPS)
        for group in _paired("iso8601_to_utc", "timestamp_rejection_reason", "'text_value'", TIMESTAMPS)
    ],
    Group("epoch_ms_to_utc", "cdp.epoch_ms_to_utc('bigint_value')", [
        ({"bigint_value": 1_700_000_000_123}, T(2023, 11, 14, 22, 13, 20, 123000)),
        ({"bigint_value": 0}, T(1970, 1, 1)),
        ({"bigint_value": -1000}, T(1969, 12, 31, 23, 59, 59)),
        ({"bigint_value": 10**17}, None),
        ({"bigint_value": None}, None),
    ]),
    Group("epoch_seconds_to_utc", "cdp.epoch_seconds_to_utc('double_value')", [
        ({"double_value": 1_700_000_000.123}, T(2023, 11, 14, 22, 13, 20, 123000)),
        ({"double_value": 1_700_000_000.5}, T(2023, 11, 14, 22, 13, 20, 500000)),
        ({"double_value": 0.0}, T(1970, 1, 1)),
        ({"double_value": 1e13}, None),
        ({"double_value": None}, None),
    ]),
    Group(
        "local_to_utc",
        "cdp.local_to_utc('local_value', 'arg')",
        [({"local_text": local, "arg": zone}, expected) for (local, zone), expected in LOCAL_TIMES],
        LOCAL_FAKESNOW_SKIPS,
    ),
    Group("tz_to_utc", "cdp.tz_to_utc('tz_value')", [
        ({"tz_text": "2024-03-10 12:34:56+02:00"}, to_naive_utc("2024-03-10T12:34:56+02:00")),
        ({"tz_text": "2024-07-01 00:00:00.5-07:00"}, T(2024, 7, 1, 7, 0, 0, 500000)),
        ({"tz_text": None}, None),
    ]),
    *_paired("parse_decimal", "decimal_rejection_reason", "'text_value', 12, 2", DECIMALS),
    *_paired("normalize_card_number", "card_number_rejection_reason", "'text_value'", CARD_NUMBERS),
]
# fmt: on


# --------------------------------------------------------------------------------------------------
# DuckDB (the default target)
# --------------------------------------------------------------------------------------------------


def _duckdb_cases() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(f"create table cases_raw ({CASES_RAW_COLUMNS})")
    connection.executemany(f"insert into cases_raw values ({', '.join(['?'] * 8)})", case_rows(GROUPS))
    connection.execute(CASES_VIEW["duckdb"])
    return connection


def test_macros_on_duckdb() -> None:
    compiled = compile_sql(group_templates(GROUPS), "dev")
    connection = _duckdb_cases()
    failures = run_groups(GROUPS, compiled, lambda sql: connection.execute(sql).fetchall())
    assert not failures, "\n".join(failures)


def test_reasons_use_the_documented_vocabulary() -> None:
    for group in GROUPS:
        if group.name.endswith("_rejection_reason"):
            assert {expected for _, expected in group.cases} - {None} <= rejection_reasons(), group.name


def test_every_macro_is_documented() -> None:
    """Every macro but the dispatch implementations has a description in _normalize__macros.yml (which
    validate_macro_args, switched on by the harness, also holds to the macros' signatures)."""
    compile_sql(group_templates(GROUPS), "dev")
    macros = macro_manifest()
    assert "normalize_phone" in macros
    implementations = ("default__", "duckdb__", "snowflake__", "spark__")
    undocumented = [
        name
        for name, macro in macros.items()
        if not name.startswith(implementations) and not macro["description"].strip()
    ]
    assert not undocumented, f"undocumented macros: {undocumented}"


def test_placeholders_never_shadow_a_country() -> None:
    """'na' and 'no' are Namibia and Norway: no placeholder may be a spelling of a country."""
    compiled = compile_sql(
        {
            "placeholders": "{{ tojson(cdp.placeholder_values()['any']) }}",
            "countries": "{{ tojson(cdp.country_reference()['countries']) }}",
        },
        "dev",
    )
    import json

    placeholders = set(json.loads(compiled["placeholders"]))
    for alpha_2, alpha_3, name, aliases in json.loads(compiled["countries"]):
        spellings = {spelling.lower() for spelling in (alpha_2, alpha_3, name, *aliases)}
        assert not spellings & placeholders, alpha_2


# --------------------------------------------------------------------------------------------------
# Spark (PySpark local mode) and Snowflake (sqlglot and fakesnow)
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    yield from spark_session()


@pytest.mark.spark
def test_macros_on_spark(spark: Any) -> None:
    from pyspark.sql.types import DoubleType, IntegerType, LongType, StringType, StructField, StructType

    schema = StructType(
        [
            StructField("group_name", StringType()),
            StructField("case_id", IntegerType()),
            StructField("text_value", StringType()),
            StructField("arg", StringType()),
            StructField("double_value", DoubleType()),
            StructField("bigint_value", LongType()),
            StructField("local_text", StringType()),
            StructField("tz_text", StringType()),
        ]
    )
    spark.createDataFrame(case_rows(GROUPS), schema).createOrReplaceTempView("cases_raw")
    spark.sql(CASES_VIEW["spark"])
    compiled = compile_sql(group_templates(GROUPS), "spark")
    failures = run_groups(GROUPS, compiled, lambda sql: [tuple(row) for row in spark.sql(sql).collect()])
    assert not failures, "\n".join(failures)


def test_snowflake_sql_parses() -> None:
    compiled = compile_sql(group_templates(GROUPS), "snowflake")
    for name, sql in compiled.items():
        parsed = sqlglot.parse_one(sql, read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)
        assert parsed.selects, name


@pytest.mark.snowflake
def test_macros_on_fakesnow(capsys: pytest.CaptureFixture[str]) -> None:
    """The Snowflake SQL on fakesnow (Snowflake emulated on DuckDB). Cases fakesnow cannot emulate are
    left out, reported, and must still misbehave: a skip that starts passing fails the test."""
    fakesnow = pytest.importorskip("fakesnow")
    import snowflake.connector

    compiled = compile_sql(group_templates(GROUPS), "snowflake")
    failures, stale_skips, reports = [], [], []
    with fakesnow.patch():
        connection = snowflake.connector.connect(database="cdp", schema="normalize_tests")
        cursor = connection.cursor()
        cursor.execute("create database if not exists cdp")
        cursor.execute(f"create or replace table cases_raw ({CASES_RAW_COLUMNS})")
        cursor.executemany(f"insert into cases_raw values ({', '.join(['%s'] * 8)})", case_rows(GROUPS))
        cursor.execute(CASES_VIEW["snowflake"])

        def query(group: Group, case_ids: str, negate: bool) -> dict[int, Any]:
            condition = f"case_id {'not in' if negate else 'in'} ({case_ids})"
            cursor.execute(f"select * from ({compiled[group.name]}) where {condition}")
            return dict(cursor.fetchall())

        for group in GROUPS:
            skipped = list(group.fakesnow_skips)
            kept = [case_id for case_id in range(len(group.cases)) if case_id not in skipped]
            failures += check_results(
                group, query(group, ", ".join(map(str, skipped)) or "-1", True), skipped
            )
            for case_id, why in group.fakesnow_skips.items():
                reports.append(f"[fakesnow skip] {group.name}{dict(group.cases[case_id][0])}: {why}")
                try:
                    misbehaves = bool(check_results(group, query(group, str(case_id), False), kept))
                except snowflake.connector.errors.Error:
                    misbehaves = True
                if not misbehaves:
                    stale_skips.append(f"{group.name} case {case_id} now passes on fakesnow: drop the skip")
        connection.close()
    with capsys.disabled():
        print("\n" + "\n".join(reports))
    assert not failures + stale_skips, "\n".join(failures + stale_skips)
