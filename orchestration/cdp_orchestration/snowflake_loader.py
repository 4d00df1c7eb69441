"""Load the landing Parquet files into Snowflake, where the `snowflake` dbt target reads its sources.

    cdp-snowflake-load                       # data/dev/landing -> RAW_<SOURCE>.<TABLE> in $SNOWFLAKE_DATABASE
    cdp-snowflake-load --landing data/ci/landing --generate 2000

Each source of `models/staging/*/_<source>__sources.yml` becomes a schema (its `schema:`, `raw_<source>`) and
each of its tables a table created with the columns and types the YAML declares, so the landing contract
is the same on every engine. Files are uploaded to the table's own stage with `PUT` and loaded with
`COPY INTO ... MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE`, which also fails on a file missing a column.
A table is replaced on every run (the demo reloads its whole sample); `--append` keeps the tables and
loads only the files COPY has not loaded into them before (a new batch of part files).

Connection settings are the environment variables of the `snowflake` target of profiles.yml
(SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_PATH with
SNOWFLAKE_PRIVATE_KEY_PASSPHRASE, SNOWFLAKE_ROLE, SNOWFLAKE_WAREHOUSE, SNOWFLAKE_DATABASE).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cdp_orchestration.warehouse import PROJECT_DIR

SOURCES_GLOB = "models/staging/*/_*__sources.yml"

# Types of the sources YAML (DuckDB spelling) as Snowflake column types. A time with an offset keeps it.
SNOWFLAKE_TYPES = {
    "bigint": "number(38, 0)",
    "integer": "number(38, 0)",
    "int": "number(38, 0)",
    "boolean": "boolean",
    "date": "date",
    "double": "float",
    "varchar": "varchar",
    "timestamp": "timestamp_ntz",
    "timestamp with time zone": "timestamp_tz",
    "timestamptz": "timestamp_tz",
}
DECIMAL = re.compile(r"(decimal|numeric)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)")


@dataclass(frozen=True)
class LandingTable:
    """One table of the landing contract: where dbt reads it on Snowflake and the columns it declares."""

    source: str
    schema: str
    name: str
    columns: tuple[tuple[str, str], ...]

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}"


def snowflake_type(data_type: str) -> str:
    """The Snowflake column type of a `data_type` of the sources YAML."""
    spelled = " ".join(data_type.lower().split())
    if match := DECIMAL.fullmatch(spelled):
        return f"number({match[2]}, {match[3]})"
    if spelled not in SNOWFLAKE_TYPES:
        raise ValueError(f"no Snowflake type for the sources YAML data_type {data_type!r}")
    return SNOWFLAKE_TYPES[spelled]


def landing_tables(project_dir: Path = PROJECT_DIR) -> list[LandingTable]:
    """Every source table the dbt project declares, with its columns, in a stable order."""
    tables = []
    for path in sorted(project_dir.glob(SOURCES_GLOB)):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                columns = tuple(
                    (column["name"], snowflake_type(column["data_type"]))
                    for column in table.get("columns", [])
                )
                if not columns:
                    raise ValueError(f"{path}: {source['name']}.{table['name']} declares no columns")
                tables.append(
                    LandingTable(
                        source=source["name"],
                        schema=source.get("schema", source["name"]),
                        name=table.get("identifier", table["name"]),
                        columns=columns,
                    )
                )
    return tables


def connection_parameters(
    environ: Mapping[str, str] = os.environ,
    application: str = "cdp-snowflake-load",
    query_tag: str = "cdp-load",
) -> dict[str, Any]:
    """snowflake.connector.connect arguments from the environment profiles.yml reads: password or key pair.
    `application` and `query_tag` tell the client apart in Snowflake's query history."""
    missing = [name for name in ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER") if not environ.get(name)]
    if not environ.get("SNOWFLAKE_PASSWORD") and not environ.get("SNOWFLAKE_PRIVATE_KEY_PATH"):
        missing.append("SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_PATH")
    if missing:
        raise SystemExit(f"{application}: set {', '.join(missing)} (see README, Running on Snowflake)")
    parameters: dict[str, Any] = {
        "account": environ["SNOWFLAKE_ACCOUNT"],
        "user": environ["SNOWFLAKE_USER"],
        "role": environ.get("SNOWFLAKE_ROLE", "TRANSFORMER"),
        "warehouse": environ.get("SNOWFLAKE_WAREHOUSE", "TRANSFORMING"),
        "database": environ.get("SNOWFLAKE_DATABASE", "CDP"),
        "application": application,
        "session_parameters": {"QUERY_TAG": query_tag, "TIMEZONE": "UTC"},
    }
    if environ.get("SNOWFLAKE_PRIVATE_KEY_PATH"):
        parameters["private_key_file"] = environ["SNOWFLAKE_PRIVATE_KEY_PATH"]
        if environ.get("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"):
            parameters["private_key_file_pwd"] = environ["SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"]
    else:
        parameters["password"] = environ["SNOWFLAKE_PASSWORD"]
    return parameters


def create_table_sql(table: LandingTable) -> str:
    columns = ",\n    ".join(f"{name} {column_type}" for name, column_type in table.columns)
    return f"create or replace table {table.qualified_name} (\n    {columns}\n)"


def table_exists(cursor: Any, table: LandingTable) -> bool:
    cursor.execute(
        "select count(*) from information_schema.tables where table_schema = %s and table_name = %s",
        (table.schema.upper(), table.name.upper()),
    )
    return bool(cursor.fetchone()[0])


def load_table(cursor: Any, table: LandingTable, files: Sequence[Path], replace: bool = True) -> int:
    """Load `files` into `table` through its table stage, (re)creating the table first when `replace` or
    when it does not exist; returns the rows loaded. COPY skips files it already loaded into the table
    (Snowflake keeps that load metadata for 64 days), so appending loads new files only."""
    if replace or not table_exists(cursor, table):
        cursor.execute(create_table_sql(table))
    stage = f"@{table.schema}.%{table.name}"
    for path in files:
        # One PUT per file: PUT takes a wildcard on Snowflake, but the emulation does not.
        cursor.execute(
            f"put 'file://{path.resolve().as_posix()}' {stage} auto_compress = false overwrite = true"
        )
    cursor.execute(
        f"copy into {table.qualified_name} from {stage}"
        " file_format = (type = parquet use_logical_type = true)"
        " match_by_column_name = case_insensitive purge = true"
    )
    # One result row per file: (file, status, rows_parsed, rows_loaded, ...).
    return sum(int(row[3]) for row in cursor.fetchall())


def table_files(landing: Path, table: LandingTable) -> list[Path]:
    files = sorted((landing / table.source / table.name).glob("*.parquet"))
    if not files:
        raise FileNotFoundError(
            f"source {table.source}.{table.name}: no Parquet files in {landing / table.source / table.name}"
        )
    return files


def load(
    connection: Any,
    landing: Path,
    tables: Iterable[LandingTable],
    replace: bool = True,
    target_schema: str | None = None,
) -> dict[str, int]:
    """Load every table's landing files; returns rows loaded per `schema.table`.

    `target_schema` (the dbt target's schema) is created too: dbt creates only the schemas it writes
    models to, and the connected-components work tables are temporary tables of the session's schema.
    """
    tables = list(tables)
    files = {table: table_files(landing, table) for table in tables}  # fail before changing anything
    cursor = connection.cursor()
    loaded = {}
    for schema in sorted({table.schema for table in tables} | ({target_schema} if target_schema else set())):
        cursor.execute(f"create schema if not exists {schema}")
    for table in tables:
        loaded[table.qualified_name] = load_table(cursor, table, files[table], replace)
    return loaded


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cdp-snowflake-load", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--landing",
        type=Path,
        default=None,
        help="<source>/<table>/*.parquet folders; default $CDP_LANDING_DIR or <CDP_DATA_DIR>/dev/landing",
    )
    parser.add_argument(
        "--generate",
        type=int,
        metavar="CUSTOMERS",
        help="first generate a sample of this many customers into the landing folder's parent (cdp-generate)",
    )
    parser.add_argument("--seed", type=int, default=42, help="seed of --generate")
    parser.add_argument("--append", action="store_true", help="keep tables, load only new files")
    args = parser.parse_args(argv)

    data_dir = PROJECT_DIR / os.environ.get("CDP_DATA_DIR", "data")
    landing = args.landing or Path(os.environ.get("CDP_LANDING_DIR", data_dir / "dev" / "landing"))
    if args.generate:
        generate = Path(sys.executable).parent / "cdp-generate"
        subprocess.run(
            [str(generate), "--customers", str(args.generate), "--seed", str(args.seed), "--out",
             str(landing.parent)],
            check=True,
        )  # fmt: skip

    import snowflake.connector

    started = time.monotonic()
    with snowflake.connector.connect(**connection_parameters()) as connection:
        loaded = load(
            connection,
            landing,
            landing_tables(),
            replace=not args.append,
            target_schema=os.environ.get("SNOWFLAKE_SCHEMA", "ANALYTICS"),
        )
    for name, rows in loaded.items():
        print(f"  {name:<34} {rows:>10,}")
    print(f"  {len(loaded)} tables, {sum(loaded.values()):,} rows in {time.monotonic() - started:.1f} s")
    print("Next: dbt build --target snowflake")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
