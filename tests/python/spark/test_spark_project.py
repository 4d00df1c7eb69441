"""The whole project on Spark (PySpark local mode, dbt-spark's session method): built with `--target spark`
over a generated sample, it must give the same results as DuckDB on the same landing files.

One sample (fixed dates), two loads, built the same way on both engines:
  1. base load: `dbt build --full-refresh` of seeds, models and unit tests. Spark registers the landing
     Parquet files as views (on-run-start), checks every enforced contract and runs the connected
     components. Data tests run on DuckDB (`make dbt-ci`): equal tables give equal test results.
  2. batch 1 (`cdp-generate --batch 1 --batch-fraction 0.03`: new people, a merge, updated profiles,
     redelivered events; at the default 1% a 300-person sample has no profile update): `dbt run`.
     The incremental models merge into Parquet tables (an append, or a rewrite when keys match) and stable
     customer ids read their previous version.
Then every table is compared row for row (run-time columns aside).

Spark runs in this process through dbtRunner, so the JVM starts once for both loads; DuckDB builds in a
subprocess meanwhile. Spark's tables are read back through the same session.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from spark_session import stop_spark
from table_compare import ENGINE_SPECIFIC_COLUMNS, Table, differences, duckdb_tables, report

pytestmark = [pytest.mark.spark, pytest.mark.slow]

PROJECT_DIR = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent

CUSTOMERS = 300
BATCH_FRACTION = "0.03"  # the smallest batch of this sample that updates known profiles (shop, ESP, loyalty)
SAMPLE_DATE = "2026-01-01"  # the base load lands at 00:00 UTC that day, batch 1 an hour later
DBT_VARS = ["--vars", json.dumps({"as_of": "2026-01-01 02:00:00"})]
LAYERS = ("staging", "intermediate", "marts", "reference")
SPARK_SCHEMA = "cdp"
MIN_ID_ROUNDS = 2  # macros/identity/connected_components.sql: the rounds that pick the smallest id


@dataclass
class Builds:
    duckdb: dict[str, Table]
    spark: dict[str, Table]
    spark_tables: set[str]
    run_results: dict[str, Any]
    statements: list[str]
    batch_kinds: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)


def _generate(out: Path, *options: str) -> None:
    subprocess.run(
        [str(BIN / "cdp-generate"), "--customers", str(CUSTOMERS), "--seed", "42", "--as-of", SAMPLE_DATE,
         "--out", str(out), *options],
        check=True, capture_output=True, text=True,
    )  # fmt: skip


@contextmanager
def _dbt_duckdb(args: Sequence[str], data_dir: Path, landing: Path) -> Iterator[None]:
    """`dbt <args> --target ci` in a subprocess, running while the `with` block runs."""
    env = {**os.environ, "DBT_PROFILES_DIR": str(PROJECT_DIR), "CDP_DATA_DIR": str(data_dir),
           "CDP_LANDING_DIR": str(landing), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}  # fmt: skip
    log = data_dir / f"dbt_duckdb_{args[0]}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(BIN / "dbt"), *args, "--target", "ci", "--project-dir", str(PROJECT_DIR),
             "--target-path", str(data_dir / "target_duckdb"), "--log-path", str(data_dir / "logs_duckdb")],
            cwd=PROJECT_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        try:
            yield
        finally:
            process.wait()
    if process.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed on DuckDB:\n{log.read_text()[-6000:]}")


def _dbt_spark(args: Sequence[str], data_dir: Path, landing: Path, statements: list[str]) -> None:
    """`dbt <args> --target spark` in this process; collects the SQL statements dbt-spark sent."""
    from dbt.cli.main import dbtRunner

    errors: list[str] = []

    def listen(event: Any) -> None:
        if event.info.level == "error":
            errors.append(event.info.msg)
        if event.info.name == "SQLQuery":
            statements.append(event.data.sql)

    environment = {
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "CDP_DATA_DIR": str(data_dir),
        "CDP_LANDING_DIR": str(landing),
        "CDP_SPARK_SCHEMA": SPARK_SCHEMA,
        "CDP_SPARK_MASTER": "local[2]",
        "CDP_SPARK_SHUFFLE_PARTITIONS": "2",
        "CDP_SPARK_DRIVER_MEMORY": "2g",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(name, value)
        result = dbtRunner(callbacks=[listen]).invoke(
            [*args, "--target", "spark", "--project-dir", str(PROJECT_DIR),
             "--target-path", str(data_dir / "target_spark"), "--log-path", str(data_dir / "logs_spark")]
        )  # fmt: skip
    if not result.success:
        if result.exception is not None:
            errors.append(repr(result.exception))
        raise AssertionError(f"dbt {' '.join(args)} failed on Spark:\n" + "\n".join(errors)[-8000:])


def _spark_tables(spark: Any) -> dict[str, Table]:
    tables = {}
    for layer in LAYERS:
        for row in spark.sql(f"show tables in {SPARK_SCHEMA}_{layer}").collect():
            if row.isTemporary:
                continue
            frame = spark.table(f"{SPARK_SCHEMA}_{layer}.{row.tableName}")
            columns = tuple(name.lower() for name in frame.columns)
            tables[row.tableName.lower()] = Table(columns, [tuple(r) for r in frame.collect()])
    return tables


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Builds]:
    from pyspark.sql import SparkSession

    # A session another test left behind would be reused by dbt-spark without this profile's settings.
    # (getActiveSession only sees this thread's; dbt-spark starts its session in a worker thread.)
    stop_spark()
    data_dir = tmp_path_factory.mktemp("spark_project")
    (data_dir / "ci").mkdir()  # the DuckDB file's folder (the landing files live elsewhere)
    sample = data_dir / "sample"
    landing = sample / "landing"
    statements: list[str] = []
    seconds: dict[str, float] = {}

    try:
        started = time.monotonic()
        _generate(sample)
        base = ["build", "--full-refresh", *DBT_VARS]
        with _dbt_duckdb([*base, "--resource-type", "seed", "--resource-type", "model"], data_dir, landing):
            _dbt_spark([*base, "--exclude-resource-type", "test"], data_dir, landing, statements)
            seconds["base load"] = time.monotonic() - started
        run_results = json.loads((data_dir / "target_spark" / "run_results.json").read_text())

        started = time.monotonic()
        _generate(sample, "--batch", "1", "--batch-fraction", BATCH_FRACTION)
        batch = json.loads((sample / "truth" / "batches" / "batch-1.json").read_text())
        with _dbt_duckdb(["run", *DBT_VARS], data_dir, landing):
            _dbt_spark(["run", *DBT_VARS], data_dir, landing, statements)
            seconds["batch 1"] = time.monotonic() - started

        spark = SparkSession.builder.getOrCreate()  # dbt-spark's session
        spark_tables = {
            f"{row.namespace}.{row.tableName}"
            for layer in LAYERS
            for row in spark.sql(f"show tables in {SPARK_SCHEMA}_{layer}").collect()
            if not row.isTemporary
        }
        yield Builds(
            duckdb=duckdb_tables(data_dir / "ci" / "warehouse.duckdb"),
            spark=_spark_tables(spark),
            spark_tables=spark_tables,
            run_results=run_results,
            statements=statements,
            batch_kinds=batch["kinds"],
            seconds=seconds,
        )
    finally:
        stop_spark()  # later tests start their own sessions, with their own settings
        shutil.rmtree(data_dir, ignore_errors=True)


def test_project_builds_on_spark(builds: Builds) -> None:
    statuses = Counter(str(result["status"]) for result in builds.run_results["results"])
    assert set(statuses) <= {"success", "pass", "no-op"}, statuses
    built = {r["unique_id"] for r in builds.run_results["results"]}
    assert sum(uid.startswith("model.cdp.") for uid in built) > 60
    assert any(uid.startswith("unit_test.") for uid in built)
    print(f"Spark vs DuckDB, seconds: {builds.seconds}")


def test_only_model_tables_are_left(builds: Builds) -> None:
    """Work tables (connected components' rounds, merge rewrites, the dirty rows of the incremental identity
    models) are dropped. The stable ids copy their previous version only on a --full-refresh of an existing
    table (an incremental run reads the rows it reassigns from its work table): neither load made one."""
    leftovers = {
        name
        for name in builds.spark_tables
        if any(work in name for work in ("__cc_", "__cdp_rewrite", "__cdp_batch"))
        or name.endswith(("__dbt_tmp", "__dbt_backup"))
    }
    assert not leftovers
    previous = {name for name in builds.spark_tables if name.endswith("__previous")}
    assert previous == set()


def test_incremental_models_merge_into_parquet(builds: Builds) -> None:
    """Batch 1 updates profiles (matched keys: a rewrite) and only adds history rows (an append)."""
    sent = [" ".join(_without_query_comment(sql).split()).lower() for sql in builds.statements]
    appended = {sql.split()[3].split(".")[-1] for sql in sent if sql.startswith("insert into table ")}
    rewritten = {sql.split()[3].split(".")[-1] for sql in sent if sql.startswith("insert overwrite table ")}
    history = [sql[:160] for sql in sent if "customer_id_merges" in sql or "segment_size_history" in sql]
    assert {"customer_id_merges", "segment_size_history"} <= appended, history[-12:]
    assert "fct_events" in appended | rewritten
    assert not any(sql.startswith(("merge into", "delete from")) for sql in sent)


def test_updated_profiles_rewrite_their_staging_table(builds: Builds) -> None:
    """New versions of known profiles match keys already in their staging table: the Parquet table is
    rewritten (cdp.spark_overwrite_with), not appended to."""
    assert builds.batch_kinds.get("profile_update", {}).get("people", 0) > 0, builds.batch_kinds
    sent = [" ".join(_without_query_comment(sql).split()).lower() for sql in builds.statements]
    rewritten = {sql.split()[3].split(".")[-1] for sql in sent if sql.startswith("insert overwrite table ")}
    assert any(name.startswith("stg_") for name in rewritten), rewritten


def _without_query_comment(sql: str) -> str:
    """A statement as the model wrote it, without the comments before it: dbt's query comment
    (`/* {"app": "dbt", ...} */`) and the `--` lines some dbt-spark macros start with."""
    return re.sub(r"^(\s*(/\*.*?\*/|--[^\n]*))*", "", sql, count=1, flags=re.DOTALL)


def _scalar(tables: dict[str, Table], name: str, column: str) -> Counter[Any]:
    table = tables[name]
    index = table.columns.index(column)
    return Counter(row[index] for row in table.rows)


def test_same_clusters_golden_records_and_segments(builds: Builds) -> None:
    duck, spark = builds.duckdb, builds.spark
    customers = {
        engine: len(_scalar(tables, "int_identity_customer_ids", "customer_id"))
        for engine, tables in (("duckdb", duck), ("spark", spark))
    }
    assert customers["spark"] == customers["duckdb"] > CUSTOMERS / 2
    assert len(spark["dim_customers"].rows) == len(duck["dim_customers"].rows)
    segments = _scalar(duck, "segment_memberships", "segment")
    assert _scalar(spark, "segment_memberships", "segment") == segments
    assert len(segments) >= 5, f"the sample leaves segments empty: {segments}"
    for audience in ("audience_email", "audience_sms", "audience_ads", "audience_customers"):
        assert len(spark[audience].rows) == len(duck[audience].rows) > 0, audience
    assert _scalar(spark, "customer_id_merges", "change_type") == _scalar(
        duck, "customer_id_merges", "change_type"
    )


def _deterministic(name: str, table: Table) -> Table:
    """A table as every engine must build it. Connected components' rounds after the min-id rounds pick
    random priorities with the engine's own hash (DuckDB's hash, Spark's xxhash64): those rounds' edge
    counts, and their number, are the engine's; the components they give are not (compared in full)."""
    if not name.endswith("__rounds"):
        return table
    index = table.columns.index("round")
    return Table(table.columns, [row for row in table.rows if row[index] <= MIN_ID_ROUNDS])


def test_every_table_has_the_same_rows(builds: Builds) -> None:
    spark_models = {name for name in builds.spark if not name.endswith("__previous")}
    assert sorted(spark_models) == sorted(builds.duckdb)
    for name, table in builds.duckdb.items():
        assert builds.spark[name].columns == table.columns, name
    different = differences(
        {
            name: _deterministic(name, table).comparable(name, ENGINE_SPECIFIC_COLUMNS.get(name))
            for name, table in builds.duckdb.items()
        },
        {
            name: _deterministic(name, builds.spark[name]).comparable(name, ENGINE_SPECIFIC_COLUMNS.get(name))
            for name in builds.duckdb
        },
        "on DuckDB",
        "on Spark",
    )
    assert not different, report(different)
