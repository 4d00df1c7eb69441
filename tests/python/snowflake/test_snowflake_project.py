"""The whole project on Snowflake SQL: built with `--target snowflake` against the fakesnow emulation over
a generated sample, it must give the same results as DuckDB on the same landing data, and every statement
and compiled node must be Snowflake SQL.

One sample (fixed dates), two batches, built the same way on both engines:
  1. base load: cdp-snowflake-load's `load` fills RAW_<SOURCE>, then `dbt build --full-refresh` (seeds,
     models, data tests and unit tests) with the Snowflake adapter; DuckDB builds from the Parquet files;
  2. incremental batch (`cdp-generate --batch 1`: new people, a merge, updates): the loader appends the new
     files only, then `dbt run`: the incremental models MERGE, stable ids read their previous version.
Then every table is compared row for row (run-time columns aside). See snowflake_emulation.py for what
the emulation cannot run as dbt-snowflake sends it.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from cdp_orchestration.snowflake_loader import landing_tables, load
from snowflake_emulation import (
    Emulation,
    dbt_duckdb,
    dbt_snowflake,
    emulated_snowflake,
    generate_sample,
    lint_snowflake_sql,
)
from table_compare import ENGINE_SPECIFIC_COLUMNS, Table, differences, duckdb_tables, report

pytestmark = [pytest.mark.snowflake, pytest.mark.slow]

CUSTOMERS = 500
SAMPLE_DATE = "2026-01-01"  # the base load lands at 00:00 UTC that day, batch 1 an hour later
DBT_VARS = json.dumps({"as_of": "2026-01-01 02:00:00"})


@dataclass
class Builds:
    duckdb: dict[str, Table]
    snowflake: dict[str, Table]
    emulation: Emulation
    failures: dict[str, list[str]]
    manifest: dict[str, Any]
    run_results: dict[str, Any]


def _snowflake_tables(cursor: Any) -> dict[str, Table]:
    cursor.execute(
        "select table_schema, table_name from CDP.information_schema.tables"
        " where table_schema like 'ANALYTICS\\_%' and table_type = 'BASE TABLE'"
    )
    tables = {}
    for schema, name in cursor.fetchall():
        if name.lower().endswith("__dbt_tmp"):
            continue  # unit-test and incremental staging relations (temporary on Snowflake)
        cursor.execute(f"select * from CDP.{schema}.{name}")
        columns = tuple(d[0].lower() for d in cursor.description)
        tables[name.lower()] = Table(columns, cursor.fetchall())
    return tables


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    import snowflake.connector

    data_dir = tmp_path_factory.mktemp("snowflake_project")
    sample = ("--as-of", SAMPLE_DATE)
    landing = generate_sample(data_dir, CUSTOMERS, *sample)
    failures: dict[str, list[str]] = {}

    with emulated_snowflake(data_dir / "fakesnow") as emulation:
        connection = snowflake.connector.connect(database="CDP")
        cursor = connection.cursor()

        base = ["build", "--full-refresh", "--resource-type", "seed", "--resource-type", "model"]
        with dbt_duckdb([*base, "--vars", DBT_VARS], data_dir):
            load(connection, landing, landing_tables(), target_schema="ANALYTICS")
            failures["build"] = dbt_snowflake(["build", "--full-refresh", "--vars", DBT_VARS], data_dir)
        target = data_dir / "target_snowflake"
        manifest = json.loads((target / "manifest.json").read_text())
        run_results = json.loads((target / "run_results.json").read_text())

        generate_sample(data_dir, CUSTOMERS, *sample, "--batch", "1")
        with dbt_duckdb(["run", "--vars", DBT_VARS], data_dir):
            load(connection, landing, landing_tables(), replace=False)
            failures["incremental run"] = dbt_snowflake(["run", "--vars", DBT_VARS], data_dir)

        snowflake_tables = _snowflake_tables(cursor)
        connection.close()
    yield Builds(
        duckdb=duckdb_tables(data_dir / "ci" / "warehouse.duckdb"),
        snowflake=snowflake_tables,
        emulation=emulation,
        failures=failures,
        manifest=manifest,
        run_results=run_results,
    )
    shutil.rmtree(data_dir, ignore_errors=True)


def test_project_builds_on_snowflake(builds: Builds) -> None:
    assert builds.failures == {"build": [], "incremental run": []}
    statuses = Counter(str(result["status"]) for result in builds.run_results["results"])
    assert set(statuses) <= {"success", "pass", "no-op"}, statuses
    models = {
        uid
        for uid, node in builds.manifest["nodes"].items()
        if uid.startswith("model.cdp.") and node["config"]["materialized"] != "ephemeral"
    }
    built = {r["unique_id"] for r in builds.run_results["results"]}
    assert models <= built, f"models not built on Snowflake: {sorted(models - built)}"
    assert any(uid.startswith("unit_test.") for uid in built)


def test_incremental_models_merge(builds: Builds) -> None:
    merges = [sql for sql in builds.emulation.statements if sql.lstrip().lower().startswith("merge into")]
    merged = {sql.split()[2].split(".")[-1].lower() for sql in merges}
    assert {"fct_events", "customer_id_merges", "segment_size_history"} <= merged


def _scalar(tables: dict[str, Table], name: str, column: str) -> Counter[Any]:
    table = tables[name]
    index = table.columns.index(column)
    return Counter(row[index] for row in table.rows)


def test_same_clusters_golden_records_segments_and_audiences(builds: Builds) -> None:
    duck, snow = builds.duckdb, builds.snowflake
    customers = {
        engine: len(_scalar(tables, "int_identity_customer_ids", "customer_id"))
        for engine, tables in (("duckdb", duck), ("snowflake", snow))
    }
    assert customers["snowflake"] == customers["duckdb"] > CUSTOMERS / 2
    assert len(snow["dim_customers"].rows) == len(duck["dim_customers"].rows)
    segments = _scalar(duck, "segment_memberships", "segment")
    assert _scalar(snow, "segment_memberships", "segment") == segments
    assert len(segments) >= 5, f"the sample leaves segments empty: {segments}"
    for audience in ("audience_email", "audience_sms", "audience_ads", "audience_customers"):
        assert len(snow[audience].rows) == len(duck[audience].rows) > 0, audience
    assert _scalar(snow, "customer_id_merges", "change_type") == _scalar(
        duck, "customer_id_merges", "change_type"
    )


def test_every_table_has_the_same_rows(builds: Builds) -> None:
    assert sorted(builds.snowflake) == sorted(builds.duckdb)
    for name, table in builds.duckdb.items():
        assert builds.snowflake[name].columns == table.columns, name
    different = differences(
        {
            name: table.comparable(name, ENGINE_SPECIFIC_COLUMNS.get(name))
            for name, table in builds.duckdb.items()
        },
        {
            name: table.comparable(name, ENGINE_SPECIFIC_COLUMNS.get(name))
            for name, table in builds.snowflake.items()
        },
        "on DuckDB",
        "on Snowflake",
    )
    assert not different, report(different)


def test_every_compiled_node_is_snowflake_sql(builds: Builds) -> None:
    """Models, data tests and unit tests as compiled for Snowflake, whether or not the emulation ran them."""
    nodes = [*builds.manifest["nodes"].values(), *builds.manifest.get("unit_tests", {}).values()]
    compiled = {r["unique_id"]: r.get("compiled_code") for r in builds.run_results["results"]}
    checked, problems = 0, {}
    for node in nodes:
        if node["resource_type"] not in ("model", "test", "unit_test") or node["package_name"] != "cdp":
            continue
        code = node.get("compiled_code") or compiled.get(node["unique_id"])
        if not code:
            problems[node["unique_id"]] = ["not compiled"]
            continue
        checked += 1
        if found := lint_snowflake_sql(code):
            problems[node["unique_id"]] = found
    assert not problems, json.dumps(problems, indent=1)
    assert checked > 300


def test_every_statement_sent_is_snowflake_sql(builds: Builds) -> None:
    """What dbt-snowflake, the materializations and macros (connected components, hooks) and the loader
    sent, before any emulation shim rewrote it."""
    problems = {}
    for sql in dict.fromkeys(builds.emulation.statements):
        if found := lint_snowflake_sql(sql):
            problems[sql[:300]] = found
    assert not problems, json.dumps(problems, indent=1)
