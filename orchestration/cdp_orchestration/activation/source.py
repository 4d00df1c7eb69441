"""Where audiences, consent and deletions are read from: the warehouse.

A `Source` runs a `Query` (a relation name or a SQL text) and yields pyarrow record batches. DuckDB is
implemented here; a Snowflake source only has to implement the same `batches` method (for example with the
connector's `fetch_arrow_batches`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb
import pyarrow as pa


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
