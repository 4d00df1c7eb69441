"""normalize_phone agrees with libphonenumber (the `phonenumbers` package) on a generated corpus.

The corpus holds valid mobile and fixed-line numbers of every country with a numbering plan, each
written many ways (E.164, international, national, dots, dashes, 00/011/0011 prefixes, the calling code
without +, (0) trunk prefixes, extensions) and read with a default country, plus numbers libphonenumber
rejects and junk. The real macros are compiled by dbt and run over the corpus in DuckDB; the oracle is
``phonenumbers.parse(raw, default_country)`` + ``is_valid_number`` -> E.164.

On numbers libphonenumber deems valid the macro must give the same E.164 at least 99.5% of the time. The
macro is knowingly more lenient than libphonenumber in two ways, reported rather than asserted: it
checks leading digits and lengths per country rather than every allocated range, and it accepts 00 as an
international prefix from every country. The Spark and fakesnow runs must give DuckDB's output exactly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from normalize_harness import (
    PHONE_JUNK,
    PhoneSample,
    compile_sql,
    phone_corpus,
    phone_plan_countries,
    phonenumbers_oracle,
    rejection_reasons,
    spark_session,
)

REQUIRED_AGREEMENT = 0.995
QUERY = (
    "select row_id,"
    " {{ cdp.normalize_phone('raw', 'default_country') }} as e164,"
    " {{ cdp.phone_rejection_reason('raw', 'default_country') }} as reason"
    " from corpus order by row_id"
)
# What staging models call: each distinct (raw, default country) read once, in stages (normalized_distinct).
DICTIONARY = (
    "{{ cdp.normalized_distinct("
    "'corpus', 'raw', 'phone', 'e164', 'reason', default_country='default_country'"
    ") }}"
)

Result = dict[int, tuple[str | None, str | None]]


@cache
def _corpus() -> tuple[PhoneSample, ...]:
    return tuple(phone_corpus())


def _corpus_table() -> pa.Table:
    corpus = _corpus()
    return pa.table(
        {
            "row_id": list(range(len(corpus))),
            "raw": [sample.raw for sample in corpus],
            "default_country": [sample.default_country for sample in corpus],
        }
    )


@cache
def _duckdb_connection() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.register("corpus", _corpus_table())
    return connection


def _compiled_for_duckdb() -> dict[str, str]:
    return compile_sql({"phones": QUERY, "dictionary": DICTIONARY}, "dev")


@cache
def _duckdb_results() -> Result:
    rows = _duckdb_connection().execute(_compiled_for_duckdb()["phones"]).fetchall()
    return {row_id: (e164, reason) for row_id, e164, reason in rows}


def _rate(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.4%}" if total else "0/0"


def test_corpus_is_large_and_varied() -> None:
    corpus = _corpus()
    assert len(corpus) >= 10_000
    assert len({sample.home_country for sample in corpus if sample.home_country}) >= 8
    assert {sample.home_country for sample in corpus} >= set(phone_plan_countries())


def test_phone_normalisation_agrees_with_phonenumbers(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _corpus()
    results = _duckdb_results()
    oracle = [phonenumbers_oracle(sample.raw, sample.default_country) for sample in corpus]

    valid_total = valid_agree = invalid_total = invalid_agree = 0
    by_kind: dict[str, Counter[str]] = {}
    by_country: dict[str, Counter[str]] = {}
    disagreements: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for row_id, sample in enumerate(corpus):
        if sample.kind == "junk":
            continue
        expected, (actual, reason) = oracle[row_id], results[row_id]
        agree = actual == expected
        if expected is None:
            invalid_total += 1
            invalid_agree += agree
            bucket = "oracle_invalid"
        else:
            valid_total += 1
            valid_agree += agree
            bucket = "oracle_valid"
        by_kind.setdefault(sample.kind, Counter())[f"{bucket}_{'agree' if agree else 'disagree'}"] += 1
        by_country.setdefault(sample.home_country or "-", Counter())[f"{bucket}_{agree}"] += 1
        if not agree:
            verdict = f"macro {reason or 'accepts'}, libphonenumber {'accepts' if expected else 'rejects'}"
            key = (f"{bucket}/{sample.kind}", verdict)
            disagreements[key] += 1
            examples.setdefault(
                key, f"{sample.raw!r} (default {sample.default_country}) -> {actual} vs {expected}"
            )

    agreement = valid_agree / valid_total
    with capsys.disabled():
        print(f"\n\nphone corpus: {len(corpus)} strings, {len(phone_plan_countries())} countries")
        print(f"agreement on numbers libphonenumber deems valid: {_rate(valid_agree, valid_total)}")
        print(f"agreement on strings it rejects (macro also rejects): {_rate(invalid_agree, invalid_total)}")
        print("by way of writing:")
        for kind, counts in sorted(by_kind.items()):
            print(f"  {kind:34} {dict(sorted(counts.items()))}")
        print("valid-number agreement by country:")
        for country, counts in sorted(by_country.items()):
            total = counts["oracle_valid_True"] + counts["oracle_valid_False"]
            print(f"  {country} {_rate(counts['oracle_valid_True'], total)}")
        print("disagreements (where / verdict: count, first example):")
        for (where, verdict), count in disagreements.most_common():
            print(f"  {where} / {verdict}: {count}, e.g. {examples[(where, verdict)]}")
    assert agreement >= REQUIRED_AGREEMENT, f"agreement {agreement:.4%} < {REQUIRED_AGREEMENT:.1%}"


def test_junk_is_rejected_with_a_reason() -> None:
    corpus = _corpus()
    results = _duckdb_results()
    junk_rows = [row_id for row_id, sample in enumerate(corpus) if sample.kind == "junk"]
    assert len(junk_rows) == len(PHONE_JUNK)
    for row_id in junk_rows:
        e164, reason = results[row_id]
        sample = corpus[row_id]
        assert e164 is None, f"{sample.raw!r} ({sample.default_country}) accepted as {e164}"
        if sample.raw is None:
            assert reason is None
        else:
            assert reason in rejection_reasons(), f"{sample.raw!r}: reason {reason!r}"


def test_value_and_reason_are_consistent() -> None:
    """Every non-NULL input gets exactly one of an E.164 value or a rejection reason."""
    for row_id, sample in enumerate(_corpus()):
        e164, reason = _duckdb_results()[row_id]
        if sample.raw is None:
            assert (e164, reason) == (None, None)
        else:
            assert (e164 is None) != (reason is None), f"{sample.raw!r}: {e164!r}, {reason!r}"
            assert reason is None or reason in rejection_reasons()
            assert e164 is None or e164.startswith("+")


def test_staging_dictionary_reads_every_phone_as_the_macros_do() -> None:
    """normalized_distinct writes each piece of a phone once, in stages, and reads it back by name: every
    string of the corpus must get normalize_phone's value and phone_rejection_reason's reason from it."""
    rows = _duckdb_connection().execute(_compiled_for_duckdb()["dictionary"]).fetchall()
    dictionary = {(raw, country): (e164, reason) for raw, country, e164, reason in rows}
    corpus = _corpus()
    keys = {(sample.raw, sample.default_country) for sample in corpus if sample.raw is not None}
    assert len(rows) == len(dictionary) == len(keys)
    results = _duckdb_results()
    differing = [
        f"{sample.raw!r} ({sample.default_country}): macros {results[row_id]}, dictionary {staged}"
        for row_id, sample in enumerate(corpus)
        if sample.raw is not None
        and (staged := dictionary[(sample.raw, sample.default_country)]) != results[row_id]
    ]
    assert not differing, "\n".join(differing[:20])


# --------------------------------------------------------------------------------------------------
# The same corpus on the other engines must give DuckDB's answers exactly.
# --------------------------------------------------------------------------------------------------


def _mismatches(other: Result) -> list[str]:
    corpus = _corpus()
    duckdb_results = _duckdb_results()
    return [
        f"{corpus[row_id].raw!r} ({corpus[row_id].default_country}): {duckdb_results[row_id]} vs {got}"
        for row_id, got in sorted(other.items())
        if got != duckdb_results[row_id]
    ]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    yield from spark_session()


@pytest.mark.spark
def test_phone_corpus_same_on_spark(spark: Any) -> None:
    rows = [(row_id, sample.raw, sample.default_country) for row_id, sample in enumerate(_corpus())]
    frame = spark.createDataFrame(rows, "row_id int, raw string, default_country string")
    frame.createOrReplaceTempView("corpus")
    sql = compile_sql({"phones": QUERY}, "spark")["phones"]
    rows = spark.sql(sql).collect()
    assert len(rows) == len(_corpus())
    mismatches = _mismatches({row.row_id: (row.e164, row.reason) for row in rows})
    assert not mismatches, "\n".join(mismatches[:20])


@pytest.mark.snowflake
def test_phone_corpus_same_on_fakesnow() -> None:
    fakesnow = pytest.importorskip("fakesnow")
    import snowflake.connector
    import snowflake.connector.pandas_tools

    sql = compile_sql({"phones": QUERY}, "snowflake")["phones"]
    corpus = _corpus()
    frame = _corpus_table().to_pandas()
    frame.columns = [column.upper() for column in frame.columns]
    with fakesnow.patch():
        connection = snowflake.connector.connect(database="cdp", schema="normalize_tests")
        cursor = connection.cursor()
        cursor.execute("create database if not exists cdp")
        cursor.execute("create schema if not exists cdp.normalize_tests")
        # write_pandas is what fakesnow patches (after fakesnow.patch(), hence the module attribute).
        snowflake.connector.pandas_tools.write_pandas(connection, frame, "CORPUS", auto_create_table=True)
        cursor.execute(sql)
        rows = cursor.fetchall()
        connection.close()
    assert len(rows) == len(corpus)
    mismatches = _mismatches({row_id: (e164, reason) for row_id, e164, reason in rows})
    assert not mismatches, "\n".join(mismatches[:20])
