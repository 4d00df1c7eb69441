"""Where audiences, consent and deletions are read from: the warehouse.

A `Source` runs a `Query` (a relation name or a SQL text) and yields pyarrow record batches, with lower-case
column names on every engine. `DuckDBSource` reads a DuckDB file, `SnowflakeSource` Snowflake (the
connector's `fetch_arrow_batches`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from cdp_orchestration.snowflake_loader import connection_parameters


@dataclass(frozen=True)
class Relation:
    """A table or view, e.g. `main_marts.audience_email` (dotted parts are quoted one by one)."""

    name: str

    def to_sql(self) -> str:
        quoted = ".".join('"' + part.replace('"', '""') + '"' for part in self.name.split("."))
        return f"select * from {quoted}"


@dataclass(frozen=True)
class SqlQuery:
    text: str

    def to_sql(self) -> str:
        return self.text


Query = Relation | SqlQuery


class Source(Protocol):
    def batches(self, query: Query) -> Iterator[pa.RecordBatch]: ...


def read_table(source: Source, query: Query) -> pa.Table:
    """All rows of `query` as one table (empty batches keep the schema)."""
    batches = list(source.batches(query))
    if not batches:
        raise ValueError(f"{query} returned no schema")
    return pa.Table.from_batches(batches)


class DuckDBSource:
    """Reads from a DuckDB file, opening it only while a query runs (so the state store, or dbt, can open
    the same file between reads)."""

    def __init__(self, path: str | Path, *, read_only: bool = True, rows_per_batch: int = 100_000) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.rows_per_batch = rows_per_batch

    def batches(self, query: Query) -> Iterator[pa.RecordBatch]:
        with duckdb.connect(self.path, read_only=self.read_only) as con:
            reader = con.sql(query.to_sql()).to_arrow_reader(self.rows_per_batch)
            schema = reader.schema
            emitted = False
            for batch in reader:
                emitted = True
                yield batch
            if not emitted:
                yield pa.RecordBatch.from_pylist([], schema=schema)


# A part of a relation name: "quoted" (doubled quotes inside) or bare.
NAME_PART = re.compile(r'"(?:[^"]|"")*"|[^."]+')


def snowflake_sql(query: Query) -> str:
    """A relation with Snowflake's identifier rules: a bare part is upper-case (`analytics_marts.x` is
    ANALYTICS_MARTS.X, where dbt-snowflake creates it), a "quoted" part is taken as written."""
    if isinstance(query, SqlQuery):
        return query.text
    parts = NAME_PART.findall(query.name)
    if ".".join(parts) != query.name:
        raise ValueError(f"not a relation name: {query.name!r}")
    quoted = ".".join(part if part.startswith('"') else f'"{part.upper()}"' for part in parts)
    return f"select * from {quoted}"


def _as_duckdb_names(table: pa.Table) -> pa.Table:
    """Lower-case column names, as DuckDB gives them. Snowflake sends each chunk's integers in the
    narrowest type that holds them: all become int64, so that the batches of one result share a schema."""
    schema = pa.schema(
        pa.field(f.name.lower(), pa.int64() if pa.types.is_integer(f.type) else f.type, f.nullable)
        for f in table.schema
    )
    return table.rename_columns(schema.names).cast(schema)


class SnowflakeSource:
    """Reads from Snowflake, one connection per query (`parameters`: snowflake.connector.connect
    arguments; `from_env` takes them from the variables of profiles.yml's `snowflake` target)."""

    def __init__(self, parameters: Mapping[str, Any]) -> None:
        self.parameters = dict(parameters)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> SnowflakeSource:
        return cls(connection_parameters(environ, application="cdp-dagster", query_tag="cdp-read"))

    def batches(self, query: Query) -> Iterator[pa.RecordBatch]:
        import snowflake.connector

        with snowflake.connector.connect(**self.parameters) as connection:
            cursor = connection.cursor()
            cursor.execute(snowflake_sql(query))
            emitted = False
            # Microseconds in every chunk, as DuckDB gives them (else the unit follows each chunk's data).
            for table in cursor.fetch_arrow_batches(force_microsecond_precision=True):
                for batch in _as_duckdb_names(table).to_batches():
                    emitted = True
                    yield batch
            if not emitted:
                yield _empty_batch(cursor, query)


def _empty_batch(cursor: Any, query: Query) -> pa.RecordBatch:
    """No rows: the schema the connector derives from the result's column types, where a NUMBER with a
    scale, which it gives as int64, is made a decimal again and timestamps are in microseconds."""
    from snowflake.connector.constants import FIELD_NAME_TO_ID

    table = cursor.fetch_arrow_all(force_return_table=True)
    if table is None:
        raise ValueError(f"{query} returned no rows and the Snowflake connector gave no schema for it")
    fields = []
    for field, column in zip(_as_duckdb_names(table).schema, cursor.description, strict=True):
        if column.type_code == FIELD_NAME_TO_ID["FIXED"] and column.scale:
            field = field.with_type(pa.decimal128(column.precision, column.scale))
        elif pa.types.is_timestamp(field.type):
            field = field.with_type(pa.timestamp("us", field.type.tz))
        fields.append(field)
    return pa.RecordBatch.from_pylist([], schema=pa.schema(fields))
