"""Writing generated rows: landing Parquet in the contract's exact columns and types; truth rows apart."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from cdp_sample.contract import SourceTable
from cdp_sample.sources import Output
from cdp_sample.truth import TruthWriter

COMPLETE_MARKER = ".complete"
PRIVATE_COLUMNS = ("_person_id", "_record_id", "_truth")


def part_name(batch: int, chunk: int) -> str:
    """part-<batch>-c<chunk>.parquet: sorts by batch, then chunk, so later batches come after earlier ones."""
    return f"part-{batch:05d}-c{chunk:03d}.parquet"


def copy_to(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # zstd level 1: as fast to write as snappy, files about 40% smaller
    con.execute(f"copy ({query}) to '{path}' (format parquet, compression zstd, compression_level 1)")


@dataclass
class LandingWriter:
    con: duckdb.DuckDBPyConnection
    contract: dict[str, SourceTable]
    out: Path
    batch: int
    truth: TruthWriter
    links: TruthWriter  # truth/probabilistic_links.parquet
    write_empty: bool = True  # the initial load writes every table (even empty) so every folder has a file
    tally: bool = False  # keep rows per (table, person) in temp table `tally` (batches report them per kind)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def landing(self) -> Path:
        return self.out / "landing"

    def write(self, output: Output, chunk: int) -> int:
        """Materialise one output, write its landing file and its truth rows; return the row count."""
        table = self.contract[output.key]
        self.con.execute(f"create or replace temp table generated as {output.sql}")
        produced = [row[0] for row in self.con.execute("describe generated").fetchall()]
        expected = [c.name for c in table.columns] + list(PRIVATE_COLUMNS)
        if output.probabilistic:
            expected.append("_probabilistic")
        if produced != expected:
            raise ValueError(
                f"{output.key}: generator columns {produced} differ from the contract {expected}"
            )
        rows = self.con.execute("select count(*) from generated").fetchone()[0]
        if rows or self.write_empty:
            columns = ", ".join(f'"{c.name}"::{c.data_type} as "{c.name}"' for c in table.columns)
            copy_to(
                self.con,
                f"select {columns} from generated",
                self.landing / output.source / output.table / part_name(self.batch, chunk),
            )
            if output.in_truth:
                names = f"'{output.source}' as source, '{output.table}' as entity, _record_id as record_id"
                rows_of = f"select {names}, _person_id as person_id from generated where _truth"
                self.truth.append(self.con, rows_of)
                if output.probabilistic:
                    self.links.append(self.con, f"{rows_of} and _probabilistic")
        self.counts[output.key] = self.counts.get(output.key, 0) + rows
        if self.tally:
            recorded = "_truth" if output.in_truth else "false"
            columns = "key varchar, person_id bigint, n bigint, recorded bigint"
            self.con.execute(f"create temp table if not exists tally ({columns})")
            self.con.execute(
                f"insert into tally select '{output.key}', _person_id, count(*), count(*) filter ({recorded})"
                " from generated group by _person_id"
            )
        self.con.execute("drop table generated")
        return rows
