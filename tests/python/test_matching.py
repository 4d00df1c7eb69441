"""Probabilistic matching: the Splink twin of the comparison levels, training, the scorer, strictness.

The warehouse tests read the CI build (`make test` builds it before pytest) and skip without it; the Spark
test runs the Spark Jaro-Winkler macro in local mode against DuckDB's.
"""

from __future__ import annotations

import csv
import math
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import pandas as pd
import pytest
from cdp_orchestration.matching import train
from cdp_orchestration.matching.config import (
    PRIOR,
    duckdb_soundex,
    load_config,
    nickname_column,
    splink_comparison,
)
from cdp_sample.evaluate import _join_probabilistic_records

PROJECT_DIR = Path(__file__).resolve().parents[2]
CI = PROJECT_DIR / os.environ.get("CDP_DATA_DIR", "data") / "ci"


@pytest.fixture(scope="module")
def warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
    path = CI / "warehouse.duckdb"
    if not path.exists():
        pytest.skip(f"no CI warehouse at {path}: run `make dbt-ci` (make test does) first")
    con = duckdb.connect(str(path), read_only=True)
    tables = {row[0] for row in con.sql("select table_name from information_schema.tables").fetchall()}
    if "int_matching_scored_pairs" not in tables:
        pytest.skip("the CI warehouse was built without the matching models")
    yield con
    con.close()


def test_splink_levels_are_the_warehouse_levels(warehouse: duckdb.DuckDBPyConnection) -> None:
    """The conditions Splink trains on (config.py) put every scored pair in the level the SQL did."""
    config = load_config()
    columns = sorted({c.column for c in config.comparisons})
    sides = ", ".join(
        f"{side}.{c} as {c}_{suffix}" for side, suffix in (("a", "l"), ("b", "r")) for c in columns
    )
    nicknames = ", ".join(
        f"(select list(name_key_b) from main_intermediate.int_first_name_equivalences"
        f" where name_key_a = a.{c}) as {nickname_column(c)}_l"
        for c in columns
        if any(
            level.kind == "nickname"
            for comp in config.comparisons
            if comp.column == c
            for level in comp.levels
        )
    )
    cases = ",\n".join(
        "case "
        + " ".join(
            f"when {level['sql_condition']} then '{level['label_for_charts']}'"
            for level in splink_comparison(c)["comparison_levels"]
            if level["sql_condition"] != "ELSE"
        )
        + f" else 'else' end as splink_{c.comparison}, pairs.{c.comparison}_level as sql_{c.comparison}"
        for c in config.comparisons
    )
    pairs = warehouse.sql(
        f"""
        with pairs as (
            select pairs.*, {sides}, {nicknames}
            from main_intermediate.int_matching_scored_pairs as pairs
            inner join main_intermediate.int_matching_records as a on pairs.record_key_a = a.record_key
            inner join main_intermediate.int_matching_records as b on pairs.record_key_b = b.record_key
        )
        select {cases} from pairs
        """
    ).df()
    assert len(pairs) > 100
    for c in config.comparisons:
        differ = pairs[pairs[f"splink_{c.comparison}"] != pairs[f"sql_{c.comparison}"]]
        assert differ.empty, differ.head()


def test_soundex_twin_agrees_with_the_macro(warehouse: duckdb.DuckDBPyConnection) -> None:
    differ = warehouse.sql(
        f"""
        select last_name_key, last_name_soundex, {duckdb_soundex("last_name_key")} as twin
        from main_intermediate.int_matching_records
        where last_name_soundex is distinct from {duckdb_soundex("last_name_key")}
        """
    ).fetchall()
    assert not differ, differ[:5]


def test_training_estimates_every_level(warehouse: duckdb.DuckDBPyConnection) -> None:
    config = load_config()
    records = train.load_records(CI / "warehouse.duckdb", config)
    parameters = train.estimate(records, config, max_pairs=2e5, previous=train.latest_parameters())
    by_level = {(p.comparison, p.level): p for p in parameters}
    assert set(by_level) == {PRIOR} | {
        (c.comparison, name) for c in config.comparisons for name in c.level_names
    }
    for p in parameters:
        assert 0 < p.m_probability <= 1 and 0 < p.u_probability <= 1, p
    assert 1e-6 < by_level[PRIOR].m_probability < 1e-2
    # Agreeing names are evidence for a match, different ones against (households are not people).
    for comparison in ("first_name", "last_name"):
        exact, other = by_level[(comparison, "exact")], by_level[(comparison, "else")]
        assert math.log2(exact.m_probability / exact.u_probability) > 4
        assert math.log2(other.m_probability / other.u_probability) < -4


def test_append_version_keeps_the_last_versions(tmp_path: Path) -> None:
    seed = tmp_path / "matching_parameters.csv"
    parameters = [train.Parameter(*PRIOR, 0.001, 0.999), train.Parameter("first_name", "exact", 0.8, 0.01)]
    versions = [train.append_version(parameters, f"run {i}", seed) for i in range(train.VERSIONS_KEPT + 2)]
    assert versions == list(range(1, train.VERSIONS_KEPT + 3))
    with seed.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == train.SEED_COLUMNS
    assert sorted({int(row["version"]) for row in rows}) == versions[-train.VERSIONS_KEPT :]
    latest = train.latest_parameters(seed)
    assert latest[("first_name", "exact")].m_probability == 0.8


def test_links_are_strict(warehouse: duckdb.DuckDBPyConnection) -> None:
    """Almost every probabilistic link joins one person, and most records made for matching are linked."""
    truth = CI / "truth"
    if not (truth / "probabilistic_links.parquet").exists():
        pytest.skip("the CI sample has no records made for probabilistic matching")
    warehouse.execute(
        f"""
        create or replace temp table person_of as
        select source || ':' || entity || ':' || record_id as record_key, person_id
        from read_parquet('{truth / "records.parquet"}')
        """
    )
    linked = warehouse.sql(
        """
        select a.person_id = b.person_id as one_person, count(*) as links
        from main_intermediate.int_matching_links as links
        inner join person_of as a on links.record_key_a = a.record_key
        inner join person_of as b on links.record_key_b = b.record_key
        where links.is_linked
        group by all
        """
    ).df()
    links = dict(zip(linked["one_person"], linked["links"], strict=True))
    assert links.get(True, 0) > 20
    assert links.get(False, 0) <= 0.05 * links[True], links
    recovered = warehouse.sql(
        f"""
        with made as (
            select source || ':' || entity || ':' || record_id as record_key, person_id
            from read_parquet('{truth / "probabilistic_links.parquet"}')
            where source != 'support'  -- a name and a work email alone are too little to link on
        ),
        customers as (
            select person_of.person_id, ids.customer_id, count(*) as records
            from person_of
            inner join main_intermediate.int_identity_customer_ids as ids using (record_key)
            where person_of.record_key not in (select record_key from made)
            group by person_of.person_id, ids.customer_id
            qualify row_number() over (
                partition by person_of.person_id order by count(*) desc, ids.customer_id
            ) = 1
        )
        select avg(case when ids.customer_id = customers.customer_id then 1.0 else 0.0 end)
        from made
        left join main_intermediate.int_identity_customer_ids as ids using (record_key)
        left join customers using (person_id)
        """
    ).fetchall()[0][0]
    assert recovered >= 0.7, recovered


def test_probabilistic_records_join_their_persons_main_group() -> None:
    scored = pd.DataFrame(
        {
            "record_key": ["a1", "a2", "a3", "a4", "p1", "b1"],
            "person_id": [1, 1, 1, 1, 1, 2],
            "linkable_group": [10, 10, 10, 11, 12, 13],
        }
    )
    _join_probabilistic_records(scored, {"p1"})
    assert scored.set_index("record_key").loc["p1", "linkable_group"] == 10
    assert scored.set_index("record_key").loc["b1", "linkable_group"] == 13


# --------------------------------------------------------------------------------------------------
# Spark: Jaro-Winkler in SQL, Soundex built in
# --------------------------------------------------------------------------------------------------

NAMES = (
    "martha", "marhta", "dixon", "dicksonx", "robert", "rupert", "bob", "jon", "john", "angela", "antela",
    "sra", "sara", "a", "ab", "ba", "jenkins", "mckenzie", "mackenzie", "patricia", "patricai", "ashcraft",
    "tymczak", "pfister", "honeyman", "wilson", "whitehead", "lloyd", "gutierrez", "schmidt", "smyth",
)  # fmt: skip


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from normalize_harness import spark_session

    yield from spark_session()


@pytest.mark.spark
def test_spark_sql_jaro_winkler_and_soundex_match_duckdb(spark: Any) -> None:
    source = (PROJECT_DIR / "macros" / "matching" / "jaro_winkler_similarity.sql").read_text()
    module = jinja2.Environment(extensions=["jinja2.ext.do"]).from_string(source).module
    jaro_winkler = str(module.spark__jaro_winkler_similarity("x", "y"))  # type: ignore[attr-defined]
    rng = random.Random(7)

    def word() -> str:
        return "".join(rng.choice("abcde") for _ in range(rng.randint(1, 9)))

    pairs = [(x, y) for x in NAMES for y in NAMES] + [(word(), word()) for _ in range(1500)]
    spark.createDataFrame(pairs, ["x", "y"]).createOrReplaceTempView("name_pairs")
    rows = spark.sql(
        f"select x, y, {jaro_winkler} as similarity, soundex(x) as code from name_pairs"
    ).collect()
    con = duckdb.connect()
    expected = {
        (x, y): con.execute(
            f"select jaro_winkler_similarity($1, $2), {duckdb_soundex('$1')}", [x, y]
        ).fetchone()
        for x, y in set(pairs)
    }
    wrong = [
        (row.x, row.y, row.similarity, row.code, expected[(row.x, row.y)])
        for row in rows
        if abs(row.similarity - expected[(row.x, row.y)][0]) > 1e-9 or row.code != expected[(row.x, row.y)][1]
    ]
    assert not wrong, wrong[:10]
