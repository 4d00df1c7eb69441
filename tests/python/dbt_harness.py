"""Run the real dbt project against a scratch data folder, and write landing files for a test."""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from table_compare import run_time_columns

PROJECT_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# dbt parses the whole project (~14 s) whenever it finds no parse of its own to reuse, or one made with other
# connection settings or vars. Every scratch folder would pay that on its first run: instead dbt runs inside
# the folder with CDP_DATA_DIR=".", so that the profile is the same everywhere, and starts from the last
# parse made with the same target and vars (dbt still re-parses every project file that changed since).
_PARSES = Path(tempfile.mkdtemp(prefix="cdp-dbt-parses-"))
atexit.register(shutil.rmtree, _PARSES, ignore_errors=True)


def _parse_key(args: Sequence[str], target: str) -> str:
    options = list(args)
    vars_ = options[options.index("--vars") + 1] if "--vars" in options[:-1] else ""
    return f"{target}-{hashlib.sha256(vars_.encode()).hexdigest()[:16]}.msgpack"


# Seeds and models in one dbt invocation (each one pays about 4 s of start-up): `dbt build` without the tests.
BUILD = ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]


def generate(data_dir: Path, target: str, customers: int, seed: int = 7, *extra: str) -> Path:
    """Generate a sample into data_dir/target (landing files and truth); returns the landing folder."""
    subprocess.run(
        [str(BIN / "cdp-generate"), "--customers", str(customers), "--seed", str(seed),
         "--out", str(data_dir / target), *extra],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return data_dir / target / "landing"


def dbt(
    data_dir: Path, args: Sequence[str], target: str = "ci", check: bool = True
) -> subprocess.CompletedProcess[str]:
    """`dbt <args>` on `target` with every file (warehouse, landing, artefacts) under data_dir."""
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "CDP_DATA_DIR": ".",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        # No test reads manifest.json or run_results.json here; writing them is about a second per run.
        "DBT_WRITE_JSON": "false",
    }
    env.pop("CDP_LANDING_DIR", None)
    parse = data_dir / "target" / "partial_parse.msgpack"
    saved = _PARSES / _parse_key(args, target)
    if saved.exists():
        parse.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(saved, parse)
    result = subprocess.run(
        [str(BIN / "dbt"), *args, "--target", target, "--project-dir", str(PROJECT_DIR),
         "--target-path", str(data_dir / "target"), "--log-path", str(data_dir / "logs")],
        cwd=data_dir, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if parse.exists():
        shutil.copyfile(parse, saved)
    if check and result.returncode != 0:
        raise AssertionError(
            f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
        )
    return result


def warehouse(data_dir: Path, target: str = "ci", read_only: bool = True) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(data_dir / target / "warehouse.duckdb"), read_only=read_only)


def append_landing_rows(
    landing: Path, source: str, table: str, rows: Sequence[Mapping[str, Any]], part: str
) -> Path:
    """Write `rows` as a new part file of a landing table, with the schema of the table's first file.

    Columns a row leaves out are NULL, so a test names only the fields its scenario is about.
    """
    folder = landing / source / table
    file_schema = pq.read_schema(sorted(folder.glob("*.parquet"))[0])
    schema = pa.schema([field.with_nullable(True) for field in file_schema])
    columns = {field.name: [row.get(field.name) for row in rows] for field in schema}
    path = folder / f"part-{part}.parquet"
    pq.write_table(pa.table(columns, schema=schema), path)
    return path


def identity_rows(data_dir: Path, model: str) -> set[tuple[Any, ...]]:
    """The rows of an identity model in main_intermediate, without its run-time columns and loaded_at.

    Customer ids are labels minted in order, so for int_identity_customer_ids it gives which records share
    a customer (each record with the smallest record key of its customer).
    """
    con = warehouse(data_dir)
    try:
        if model == "int_identity_customer_ids":
            rows = con.execute(
                "select record_key, min(record_key) over (partition by customer_id)"
                " from main_intermediate.int_identity_customer_ids"
            ).fetchall()
        else:
            skipped = {"loaded_at", *run_time_columns(model)}
            columns = [c for c in con.table(f"main_intermediate.{model}").columns if c not in skipped]
            rows = con.execute(f"select {', '.join(columns)} from main_intermediate.{model}").fetchall()
    finally:
        con.close()
    return set(rows)
