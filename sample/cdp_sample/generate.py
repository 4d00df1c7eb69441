"""The initial full load (batch 0): people, every source table chunk by chunk, then the ground truth."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from cdp_sample import rates
from cdp_sample.contract import load_contract
from cdp_sample.landing import COMPLETE_MARKER, LandingWriter, copy_to
from cdp_sample.persons import PERSON_COLUMNS, build_persons
from cdp_sample.plan import DAY, actors_sql, country_sql, families_sql, stores_sql
from cdp_sample.sources import Ctx, modules
from cdp_sample.sql import connect
from cdp_sample.truth import TruthWriter, links_path, persons_path, write_manifest

# People per chunk: each chunk writes one part file per table, so memory stays bounded at any scale.
CHUNK_SIZE = 1_000_000
SPILL_DIR = ".spill"  # DuckDB's temp directory under --out, removed at the end


@dataclass(frozen=True)
class Config:
    customers: int
    seed: int
    out: Path
    as_of: dt.date
    chunk_size: int = CHUNK_SIZE

    @property
    def t_as_of(self) -> float:
        """The initial load time: --as-of at 00:00 UTC; all history lies before it."""
        return dt.datetime.combine(self.as_of, dt.time(), dt.UTC).timestamp()

    @property
    def deletion_ids(self) -> tuple[int, ...]:
        """People spread evenly over the ids who surely ask for deletion (so small samples have some)."""
        count = min(rates.MIN_DELETION_REQUESTS, self.customers)
        return tuple(1 + self.customers * (2 * i + 1) // (2 * count) for i in range(count))


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)


def generate_base(cfg: Config) -> Summary:
    started = time.perf_counter()
    for folder in ("landing", "truth"):
        shutil.rmtree(cfg.out / folder, ignore_errors=True)
    con = open_generator(cfg.seed, cfg.out)
    a = cfg.t_as_of
    build_persons(con, 1, cfg.customers, a - rates.HISTORY_DAYS * DAY, a - DAY, batch=0)
    copy_to(con, f"select {', '.join(PERSON_COLUMNS)} from persons order by person_id", persons_path(cfg.out))
    con.execute("drop table persons")
    con.execute(families_sql(f"read_parquet('{persons_path(cfg.out)}')"))

    truth = TruthWriter(cfg.out, keep_existing=False)
    links = TruthWriter(cfg.out, keep_existing=False, path=links_path(cfg.out))
    writer = LandingWriter(con, load_contract(), cfg.out, batch=0, truth=truth, links=links)
    for chunk, lo in enumerate(range(1, cfg.customers + 1, cfg.chunk_size)):
        hi = min(cfg.customers, lo + cfg.chunk_size - 1)
        people = (
            f"(select * from read_parquet('{persons_path(cfg.out)}') where person_id between {lo} and {hi})"
        )
        load_actors(con, actors_sql(people, a, rates.DELETION_REQUEST, cfg.deletion_ids))
        write_sources(con, writer, Ctx(batch=0, t_load=a), chunk)

    truth.close()
    links.close()
    con.close()
    shutil.rmtree(cfg.out / SPILL_DIR, ignore_errors=True)
    write_manifest(cfg, writer.counts)
    (cfg.out / "landing" / COMPLETE_MARKER).touch()
    return Summary(rows=dict(writer.counts), seconds=time.perf_counter() - started)


def open_generator(seed: int, out: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the generator's macros and reference tables (spilling under out/.spill)."""
    (out / SPILL_DIR).mkdir(parents=True, exist_ok=True)
    con = connect(seed, spill_dir=out / SPILL_DIR)
    con.execute(country_sql())
    con.execute(stores_sql())
    return con


def load_actors(con: duckdb.DuckDBPyConnection, select: str) -> None:
    con.execute(f"create or replace temp table actors as {select}")
    # the few actors whose probabilistic-only record is made now (CRM, loyalty and support read them)
    con.execute(
        "create or replace temp table prob_actors as"
        " select * from actors where emit_profiles and prob_system is not null"
    )


def write_sources(con: duckdb.DuckDBPyConnection, writer: LandingWriter, ctx: Ctx, chunk: int) -> None:
    for module in modules():
        for statement in module.prepare(ctx):
            con.execute(statement)
        for output in module.outputs(ctx):
            writer.write(output, chunk)
