"""Cut a change set into batches, and resume the batches an interrupted run had planned.

Batches are cut in a stable order (kind, partition, sync_key). A batch's idempotency key is a hash of the
run id and of its contents, so the same batch resent by the resumed run carries the same key.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from cdp_orchestration.activation.diff import Change
from cdp_orchestration.activation.model import Batch, BatchKind, Op


@dataclass(frozen=True)
class JournalRow:
    sync_key: str
    op: Op
    payload_hash: str | None


@dataclass(frozen=True)
class JournalBatch:
    """A batch an earlier attempt of the run planned but did not get acknowledged."""

    seq: int
    kind: BatchKind
    partition: str | None
    idempotency_key: str
    group_seq: int
    group_total: int
    group_size: int
    rows: tuple[JournalRow, ...]


def idempotency_key(run_id: str, kind: BatchKind, partition: str | None, changes: Sequence[Change]) -> str:
    digest = hashlib.sha256(f"{run_id}\x1e{kind}\x1e{partition or ''}\x1e".encode())
    for change in sorted(changes, key=lambda c: c.record.sync_key):
        r = change.record
        digest.update(f"{r.sync_key}\x1f{r.op}\x1f{r.payload_hash or ''}\x1e".encode())
    return digest.hexdigest()[:32]


def _batch(
    sync_id: str,
    run_id: str,
    seq: int,
    kind: BatchKind,
    partition: str | None,
    changes: Sequence[Change],
    key: str,
    group: tuple[int, int, int],
    schema: pa.Schema | None,
) -> Batch:
    return Batch(
        sync_id=sync_id,
        run_id=run_id,
        seq=seq,
        kind=kind,
        partition=partition,
        records=tuple(c.record for c in changes),
        idempotency_key=key,
        group_seq=group[0],
        group_total=group[1],
        group_size=group[2],
        schema=schema,
    )


def plan_batches(
    sync_id: str,
    run_id: str,
    changes: Sequence[Change],
    batch_size: int | None,
    *,
    schema: pa.Schema | None = None,
    pending: Sequence[JournalBatch] = (),
) -> tuple[list[Batch], list[JournalBatch]]:
    """Batches to send, and the pending batches that can no longer be resent as they were.

    A pending batch is resent unchanged (same seq, same idempotency key) when every one of its rows is
    still a change with the same op and payload; otherwise it is superseded and its rows are batched anew.
    """
    by_key = {c.record.sync_key: c for c in changes}
    batches: list[Batch] = []
    superseded: list[JournalBatch] = []
    for old in sorted(pending, key=lambda b: b.seq):
        matched = [by_key.get(row.sync_key) for row in old.rows]
        still_same = all(
            c is not None
            and c.kind == old.kind
            and c.partition == old.partition
            and c.record.op == row.op
            and c.record.payload_hash == row.payload_hash
            for c, row in zip(matched, old.rows, strict=True)
        )
        if not still_same:
            superseded.append(old)
            continue
        group = (old.group_seq, old.group_total, old.group_size)
        batches.append(
            _batch(
                sync_id, run_id, old.seq, old.kind, old.partition, matched, old.idempotency_key, group, schema
            )
        )
        for row in old.rows:
            del by_key[row.sync_key]

    seq = max((b.seq for b in pending), default=0)
    remaining = [c for c in changes if c.record.sync_key in by_key]
    for (kind, partition), grouped in itertools.groupby(remaining, key=lambda c: (c.kind, c.partition)):
        group_changes = list(grouped)
        size = batch_size or len(group_changes)
        total = math.ceil(len(group_changes) / size)
        for index in range(total):
            chunk = group_changes[index * size : (index + 1) * size]
            seq += 1
            key = idempotency_key(run_id, kind, partition, chunk)
            group = (index + 1, total, len(group_changes))
            batches.append(_batch(sync_id, run_id, seq, kind, partition, chunk, key, group, schema))
    return batches, superseded
