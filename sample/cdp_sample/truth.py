"""The ground truth, kept apart from the landing data: records.parquet, persons.parquet, manifest.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from cdp_sample import rates

if TYPE_CHECKING:
    from cdp_sample.generate import Config


def truth_dir(out: Path) -> Path:
    return out / "truth"


RECORD_SCHEMA = pa.schema(
    [("source", pa.string()), ("entity", pa.string()), ("record_id", pa.string()), ("person_id", pa.int64())]
)


def records_path(out: Path) -> Path:
    return truth_dir(out) / "records.parquet"


def persons_path(out: Path) -> Path:
    return truth_dir(out) / "persons.parquet"


def links_path(out: Path) -> Path:
    """The probabilistic-only records: (source, entity, record_id, person_id), a subset of records."""
    return truth_dir(out) / "probabilistic_links.parquet"


class TruthWriter:
    """Streams truth rows into truth/records.parquet (after the earlier batches' rows, if any).

    Rows go to a temp file that replaces records.parquet on close, so the file is always whole.
    `path` writes another file of the same columns (truth/probabilistic_links.parquet).
    """

    def __init__(self, out: Path, keep_existing: bool, path: Path | None = None) -> None:
        self.path = path or records_path(out)
        self.staged = self.path.with_suffix(".parquet.tmp")
        self.staged.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(self.staged, RECORD_SCHEMA, compression="zstd", compression_level=1)
        if keep_existing and self.path.exists():
            for batch in pq.ParquetFile(self.path).iter_batches(batch_size=1_000_000):
                self.writer.write_batch(batch.cast(RECORD_SCHEMA))

    def append(self, con: duckdb.DuckDBPyConnection, query: str) -> None:
        for batch in con.sql(query).fetch_record_batch(1_000_000):
            self.writer.write_batch(batch.cast(RECORD_SCHEMA))

    def close(self) -> None:
        self.writer.close()
        self.staged.replace(self.path)


def rates_used() -> dict[str, Any]:
    return {name: getattr(rates, name) for name in dir(rates) if name.isupper()}


def write_manifest(cfg: Config, counts: dict[str, int]) -> None:
    manifest = {
        "arguments": {
            "customers": cfg.customers,
            "seed": cfg.seed,
            "as_of": cfg.as_of.isoformat(),
            "chunk_size": cfg.chunk_size,
        },
        "loaded_at": {"0": iso_text(cfg.t_as_of)},
        "landing_rows": {"0": counts},
        "batches": [],
        "rates": rates_used(),
    }
    manifest_path(cfg.out).write_text(json.dumps(manifest, indent=2, default=str) + "\n")


def manifest_path(out: Path) -> Path:
    return truth_dir(out) / "manifest.json"


def read_manifest(out: Path) -> dict[str, Any]:
    return json.loads(manifest_path(out).read_text())


def iso_text(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
