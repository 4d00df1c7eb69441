"""Files: each run writes its changes as CSV or Parquet with an `op` column, plus a JSON manifest.

Layout: `<directory>/<sync_id>/<run_id>/{upsert,remove}-<batch seq>.<csv|parquet>` and `manifest.json`
(run id, files with row counts and SHA-256 checksums, counts per op, schema). With the default batch size
(no limit) a run writes one upsert file and one remove file at most. Each file is written to a temporary
name and renamed, and the manifest is rewritten after every file, so a crash never leaves a half file listed.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from cdp_orchestration.activation.model import Ack, Batch, BatchOutcome, Capabilities

FileFormat = Literal["csv", "parquet"]
META_COLUMNS = [
    ("op", pa.string()),
    ("remove_reason", pa.string()),
    ("sync_key", pa.string()),
    ("customer_id", pa.string()),
]


class FileDestination:
    def __init__(
        self, directory: str | Path, *, file_format: FileFormat = "parquet", batch_size: int | None = None
    ) -> None:
        self.directory = Path(directory)
        self.file_format = file_format
        self._batch_size = batch_size

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(name=f"files:{self.file_format}", batch_size=self._batch_size)

    def upsert(self, batch: Batch) -> BatchOutcome:
        return self._write(batch)

    def remove(self, batch: Batch) -> BatchOutcome:
        return self._write(batch)

    def close(self) -> None:
        """Nothing held open between batches."""

    def _write(self, batch: Batch) -> BatchOutcome:
        payload_fields = [
            f for f in (batch.schema or pa.schema([])) if f.name not in {"sync_key", "customer_id"}
        ]
        schema = pa.schema([pa.field(n, t) for n, t in META_COLUMNS] + payload_fields)
        rows = [
            {
                "op": r.op,
                "remove_reason": r.remove_reason,
                "sync_key": r.sync_key,
                "customer_id": r.customer_id,
                **{f.name: r.payload.get(f.name) for f in payload_fields},
            }
            for r in batch.records
        ]
        table = pa.Table.from_pylist(rows, schema=schema)
        run_dir = self.directory / batch.sync_id / batch.run_id
        run_dir.mkdir(parents=True, exist_ok=True)
        path = run_dir / f"{batch.kind}-{batch.seq:05d}.{self.file_format}"
        tmp = path.with_suffix(path.suffix + ".tmp")
        if self.file_format == "csv":
            pa_csv.write_csv(table, tmp)
        else:
            pq.write_table(table, tmp)
        os.replace(tmp, path)
        self._update_manifest(run_dir, batch, path, table)
        return BatchOutcome(acks=[Ack(r.sync_key) for r in batch.records])

    def _update_manifest(self, run_dir: Path, batch: Batch, path: Path, table: pa.Table) -> None:
        manifest_path = run_dir / "manifest.json"
        manifest: dict[str, Any] = (
            json.loads(manifest_path.read_text())
            if manifest_path.exists()
            else {"sync_id": batch.sync_id, "run_id": batch.run_id, "format": self.file_format, "files": []}
        )
        manifest["files"] = [f for f in manifest["files"] if f["path"] != path.name] + [
            {
                "path": path.name,
                "kind": batch.kind,
                "batch_seq": batch.seq,
                "idempotency_key": batch.idempotency_key,
                "rows": table.num_rows,
                "counts": dict(Counter(r.op for r in batch.records)),
                "bytes": path.stat().st_size,
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
        ]
        totals: Counter[str] = Counter()
        for entry in manifest["files"]:
            totals.update(entry["counts"])
        manifest["counts"] = {op: totals.get(op, 0) for op in ("add", "update", "remove")}
        manifest["schema"] = [{"name": f.name, "type": str(f.type)} for f in table.schema]
        manifest["updated_at"] = datetime.now(UTC).isoformat()
        tmp = manifest_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        os.replace(tmp, manifest_path)
