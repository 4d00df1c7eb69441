"""Sync state: what each destination last acknowledged, the rejects, and the run journal.

`StateStore` is the seam; `DuckDBStateStore` keeps five tables in a schema of a DuckDB file (a separate file,
or the warehouse file itself). Timestamps are UTC.

- sync_state: per (sync_id, sync_key), the hash of the payload the destination acknowledged, the ids it
  returned (needed to update or remove the row later), the partition (list), first/last synced.
- sync_rejects: rows a destination refused, with the reason and the number of attempts (they are changes
  again on the next run, because state was not advanced for them).
- sync_runs, sync_batches, sync_batch_rows: the journal. Every planned batch is written before anything is
  sent, with its rows; a batch goes planned -> sending -> acked (or failed, or superseded). A run that did not
  finish is resumed by the next one, which resends its unacknowledged batches with the same idempotency key.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from cdp_orchestration.activation.diff import STATE_SCHEMA
from cdp_orchestration.activation.model import Batch, BatchOutcome, dumps
from cdp_orchestration.activation.planning import JournalBatch, JournalRow


class StateStore(Protocol):
    def session(self) -> AbstractContextManager[None]:
        """Hold what the store needs (a connection) for the length of one run."""
        ...

    def load_state(self, sync_id: str) -> pa.Table: ...

    def unfinished_run(self, sync_id: str) -> str | None: ...

    def pending_batches(self, sync_id: str, run_id: str) -> list[JournalBatch]: ...

    def start_run(self, sync_id: str, run_id: str, now: datetime) -> None: ...

    def record_plan(
        self,
        sync_id: str,
        run_id: str,
        batches: Sequence[Batch],
        superseded: Sequence[JournalBatch],
        now: datetime,
    ) -> None: ...

    def mark_batch(self, batch: Batch, status: str, now: datetime, error: str | None = None) -> None: ...

    def commit_batch(self, batch: Batch, outcome: BatchOutcome, now: datetime) -> None: ...

    def finish_run(
        self,
        sync_id: str,
        run_id: str,
        status: str,
        now: datetime,
        summary: dict[str, Any],
        error: str | None,
    ) -> None: ...

    def forget_rejects_except(self, sync_id: str, sync_keys: Sequence[str]) -> None: ...

    def purge_customers(self, sync_id: str, customer_ids: Sequence[str]) -> None: ...

    def rejects(self, sync_id: str) -> list[dict[str, Any]]: ...


_DDL = """
create schema if not exists {s};
create table if not exists {s}.sync_state (
    sync_id varchar not null,
    sync_key varchar not null,
    customer_id varchar not null,
    payload_hash varchar,
    destination_ids varchar,
    partition_value varchar,
    last_run_id varchar,
    first_synced_at timestamp,
    last_synced_at timestamp,
    primary key (sync_id, sync_key)
);
create table if not exists {s}.sync_rejects (
    sync_id varchar not null,
    sync_key varchar not null,
    customer_id varchar,
    op varchar,
    reason varchar,
    payload_hash varchar,
    attempts integer,
    last_run_id varchar,
    first_rejected_at timestamp,
    last_rejected_at timestamp,
    primary key (sync_id, sync_key)
);
create table if not exists {s}.sync_runs (
    sync_id varchar not null,
    run_id varchar not null,
    status varchar not null,
    attempts integer not null,
    summary varchar,
    error varchar,
    started_at timestamp,
    finished_at timestamp,
    primary key (sync_id, run_id)
);
create table if not exists {s}.sync_batches (
    sync_id varchar not null,
    run_id varchar not null,
    batch_seq integer not null,
    kind varchar,
    partition_value varchar,
    idempotency_key varchar,
    group_seq integer,
    group_total integer,
    group_size integer,
    record_count integer,
    status varchar,
    acks integer,
    rejects integer,
    error varchar,
    planned_at timestamp,
    sent_at timestamp,
    finished_at timestamp,
    primary key (sync_id, run_id, batch_seq)
);
create table if not exists {s}.sync_batch_rows (
    sync_id varchar not null,
    run_id varchar not null,
    batch_seq integer not null,
    sync_key varchar not null,
    customer_id varchar,
    op varchar,
    payload_hash varchar
);
"""

_UNFINISHED = ("planned", "sending", "failed")


def _utc(now: datetime) -> datetime:
    """Naive UTC, as the timestamp columns hold it."""
    return now if now.tzinfo is None else now.astimezone(UTC).replace(tzinfo=None)


class DuckDBStateStore:
    """State in `schema` of the DuckDB file at `path`. The file is open only during a run's `session()` (or
    one operation outside a session), so dbt and readers can open it between runs; each write is one
    transaction."""

    def __init__(self, path: str | Path, *, schema: str = "cdp_sync") -> None:
        self.path = str(path)
        self.schema = '"' + schema.replace('"', '""') + '"'
        self._ready = False
        self._session: duckdb.DuckDBPyConnection | None = None

    @contextmanager
    def session(self) -> Iterator[None]:
        if self._session is not None:
            yield
            return
        with self._open() as con:
            self._session = con
            try:
                yield
            finally:
                self._session = None

    @contextmanager
    def _open(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with duckdb.connect(self.path) as con:
            con.execute("set TimeZone = 'UTC'")
            if not self._ready:
                con.execute(_DDL.format(s=self.schema))
                self._ready = True
            yield con

    @contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._session is not None:
            yield self._session
        else:
            with self._open() as con:
                yield con

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._connect() as con:
            con.begin()
            try:
                yield con
            except BaseException:
                con.rollback()
                raise
            con.commit()

    def load_state(self, sync_id: str) -> pa.Table:
        with self._connect() as con:
            table = con.sql(
                f"select {', '.join(STATE_SCHEMA.names)} from {self.schema}.sync_state where sync_id = ?",
                params=[sync_id],
            ).to_arrow_table()
        return table.cast(STATE_SCHEMA)

    def unfinished_run(self, sync_id: str) -> str | None:
        with self._connect() as con:
            rows = con.execute(
                f"""
                select run_id from {self.schema}.sync_runs
                where sync_id = ? and status in ('running', 'failed')
                order by started_at desc limit 1
                """,
                [sync_id],
            ).fetchall()
        return rows[0][0] if rows else None

    def pending_batches(self, sync_id: str, run_id: str) -> list[JournalBatch]:
        with self._connect() as con:
            heads = con.execute(
                f"""
                select batch_seq, kind, partition_value, idempotency_key, group_seq, group_total, group_size
                from {self.schema}.sync_batches
                where sync_id = ? and run_id = ? and status in {_UNFINISHED}
                order by batch_seq
                """,
                [sync_id, run_id],
            ).fetchall()
            rows = con.execute(
                f"""
                select batch_seq, sync_key, op, payload_hash from {self.schema}.sync_batch_rows
                where sync_id = ? and run_id = ? order by batch_seq, sync_key
                """,
                [sync_id, run_id],
            ).fetchall()
        by_seq: dict[int, list[JournalRow]] = {}
        for seq, sync_key, op, payload_hash in rows:
            by_seq.setdefault(seq, []).append(JournalRow(sync_key, op, payload_hash))
        return [
            JournalBatch(seq, kind, partition, key, g_seq, g_total, g_size, tuple(by_seq.get(seq, ())))
            for seq, kind, partition, key, g_seq, g_total, g_size in heads
        ]

    def start_run(self, sync_id: str, run_id: str, now: datetime) -> None:
        with self._transaction() as con:
            con.execute(
                f"""
                insert into {self.schema}.sync_runs (sync_id, run_id, status, attempts, started_at)
                values (?, ?, 'running', 1, ?)
                on conflict (sync_id, run_id) do update
                set status = 'running', attempts = sync_runs.attempts + 1, error = null, finished_at = null
                """,
                [sync_id, run_id, _utc(now)],
            )

    def record_plan(
        self,
        sync_id: str,
        run_id: str,
        batches: Sequence[Batch],
        superseded: Sequence[JournalBatch],
        now: datetime,
    ) -> None:
        """Journal the batches about to be sent (those resumed from an earlier attempt are there already)."""
        with self._transaction() as con:
            for old in superseded:
                con.execute(
                    f"""
                    update {self.schema}.sync_batches set status = 'superseded', finished_at = ?
                    where sync_id = ? and run_id = ? and batch_seq = ?
                    """,
                    [_utc(now), sync_id, run_id, old.seq],
                )
            known = self._known_seqs(con, sync_id, run_id)
            new = [b for b in batches if b.seq not in known]
            if not new:
                return
            heads = pa.Table.from_pylist(
                [
                    {
                        "sync_id": b.sync_id,
                        "run_id": b.run_id,
                        "batch_seq": b.seq,
                        "kind": b.kind,
                        "partition_value": b.partition,
                        "idempotency_key": b.idempotency_key,
                        "group_seq": b.group_seq,
                        "group_total": b.group_total,
                        "group_size": b.group_size,
                        "record_count": len(b),
                        "status": "planned",
                        "planned_at": _utc(now),
                    }
                    for b in new
                ]
            )
            rows = pa.Table.from_pylist(
                [
                    {
                        "sync_id": b.sync_id,
                        "run_id": b.run_id,
                        "batch_seq": b.seq,
                        "sync_key": r.sync_key,
                        "customer_id": r.customer_id,
                        "op": r.op,
                        "payload_hash": r.payload_hash,
                    }
                    for b in new
                    for r in b.records
                ],
                schema=pa.schema(
                    [
                        ("sync_id", pa.string()),
                        ("run_id", pa.string()),
                        ("batch_seq", pa.int32()),
                        ("sync_key", pa.string()),
                        ("customer_id", pa.string()),
                        ("op", pa.string()),
                        ("payload_hash", pa.string()),
                    ]
                ),
            )
            con.register("new_heads", heads)
            con.register("new_rows", rows)
            con.execute(f"insert into {self.schema}.sync_batches by name select * from new_heads")
            con.execute(f"insert into {self.schema}.sync_batch_rows by name select * from new_rows")

    def _known_seqs(self, con: duckdb.DuckDBPyConnection, sync_id: str, run_id: str) -> set[int]:
        rows = con.execute(
            f"select batch_seq from {self.schema}.sync_batches where sync_id = ? and run_id = ?",
            [sync_id, run_id],
        ).fetchall()
        return {r[0] for r in rows}

    def mark_batch(self, batch: Batch, status: str, now: datetime, error: str | None = None) -> None:
        column = "sent_at" if status == "sending" else "finished_at"
        with self._transaction() as con:
            con.execute(
                f"""
                update {self.schema}.sync_batches set status = ?, {column} = ?, error = ?
                where sync_id = ? and run_id = ? and batch_seq = ?
                """,
                [status, _utc(now), error, batch.sync_id, batch.run_id, batch.seq],
            )

    def commit_batch(self, batch: Batch, outcome: BatchOutcome, now: datetime) -> None:
        """Advance state for acknowledged records, store rejected ones, close the batch: one transaction."""
        ts = _utc(now)
        records = {r.sync_key: r for r in batch.records}
        acked = [a for a in outcome.acks if a.sync_key in records]
        acked_upserts = pa.Table.from_pylist(
            [
                {
                    "sync_id": batch.sync_id,
                    "sync_key": a.sync_key,
                    "customer_id": records[a.sync_key].customer_id,
                    "payload_hash": records[a.sync_key].payload_hash,
                    "destination_ids": dumps(dict(a.destination_ids)),
                    "partition_value": batch.partition,
                    "last_run_id": batch.run_id,
                    "first_synced_at": ts,
                    "last_synced_at": ts,
                }
                for a in acked
                if batch.kind == "upsert"
            ],
            schema=_STATE_ROW,
        )
        acked_keys = pa.table({"sync_key": pa.array([a.sync_key for a in acked], pa.string())})
        rejects = pa.Table.from_pylist(
            [
                {
                    "sync_id": batch.sync_id,
                    "sync_key": r.sync_key,
                    "customer_id": records[r.sync_key].customer_id,
                    "op": records[r.sync_key].op,
                    "reason": r.reason,
                    "payload_hash": records[r.sync_key].payload_hash,
                    "attempts": 1,
                    "last_run_id": batch.run_id,
                    "first_rejected_at": ts,
                    "last_rejected_at": ts,
                }
                for r in outcome.rejects
                if r.sync_key in records
            ],
            schema=_REJECT_ROW,
        )
        s = self.schema
        with self._transaction() as con:
            con.register("acked_upserts", acked_upserts)
            con.register("acked_keys", acked_keys)
            con.register("new_rejects", rejects)
            if batch.kind == "upsert":
                con.execute(
                    f"""
                    insert into {s}.sync_state by name select * from acked_upserts
                    on conflict (sync_id, sync_key) do update set
                        customer_id = excluded.customer_id,
                        payload_hash = excluded.payload_hash,
                        destination_ids = excluded.destination_ids,
                        partition_value = excluded.partition_value,
                        last_run_id = excluded.last_run_id,
                        last_synced_at = excluded.last_synced_at
                    """
                )
            else:
                con.execute(
                    f"delete from {s}.sync_state where sync_id = ? and sync_key in (from acked_keys)",
                    [batch.sync_id],
                )
            con.execute(
                f"delete from {s}.sync_rejects where sync_id = ? and sync_key in (from acked_keys)",
                [batch.sync_id],
            )
            con.execute(
                f"""
                insert into {s}.sync_rejects by name select * from new_rejects
                on conflict (sync_id, sync_key) do update set
                    op = excluded.op,
                    reason = excluded.reason,
                    payload_hash = excluded.payload_hash,
                    attempts = sync_rejects.attempts + 1,
                    last_run_id = excluded.last_run_id,
                    last_rejected_at = excluded.last_rejected_at
                """
            )
            con.execute(
                f"""
                update {s}.sync_batches
                set status = 'acked', finished_at = ?, acks = ?, rejects = ?, error = null
                where sync_id = ? and run_id = ? and batch_seq = ?
                """,
                [ts, len(acked), rejects.num_rows, batch.sync_id, batch.run_id, batch.seq],
            )

    def finish_run(
        self,
        sync_id: str,
        run_id: str,
        status: str,
        now: datetime,
        summary: dict[str, Any],
        error: str | None,
    ) -> None:
        with self._transaction() as con:
            con.execute(
                f"""
                update {self.schema}.sync_runs set status = ?, finished_at = ?, summary = ?, error = ?
                where sync_id = ? and run_id = ?
                """,
                [status, _utc(now), dumps(summary), error, sync_id, run_id],
            )
            if status == "succeeded":
                # The rows of a finished run's batches are only needed to resume it.
                con.execute(
                    f"delete from {self.schema}.sync_batch_rows where sync_id = ? and run_id = ?",
                    [sync_id, run_id],
                )

    def forget_rejects_except(self, sync_id: str, sync_keys: Sequence[str]) -> None:
        """Drop rejects that are no longer changes (the row left the audience before it was ever accepted)."""
        keep = pa.table({"sync_key": pa.array(list(sync_keys), pa.string())})
        with self._transaction() as con:
            con.register("keep_keys", keep)
            con.execute(
                f"""
                delete from {self.schema}.sync_rejects
                where sync_id = ? and sync_key not in (select sync_key from keep_keys)
                """,
                [sync_id],
            )

    def purge_customers(self, sync_id: str, customer_ids: Sequence[str]) -> None:
        """Erase deleted people from rejects and the journal once the destination has acknowledged their
        removal, i.e. once they have no sync_state row left (the ids kept there are what a removal needs, and
        a failing removal keeps its reject so it stays visible)."""
        ids = pa.table({"customer_id": pa.array(list(customer_ids), pa.string())})
        with self._transaction() as con:
            con.register("purged_ids", ids)
            for table in ("sync_rejects", "sync_batch_rows"):
                con.execute(
                    f"""
                    delete from {self.schema}.{table}
                    where sync_id = $sync_id
                        and customer_id in (select customer_id from purged_ids)
                        and customer_id not in (
                            select customer_id from {self.schema}.sync_state where sync_id = $sync_id
                        )
                    """,
                    {"sync_id": sync_id},
                )

    def rejects(self, sync_id: str) -> list[dict[str, Any]]:
        with self._connect() as con:
            table = con.sql(
                f"select * from {self.schema}.sync_rejects where sync_id = ? order by sync_key",
                params=[sync_id],
            ).to_arrow_table()
        return table.to_pylist()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Read the state tables (`{schema}` in `sql` is replaced): for tests and inspection."""
        with self._connect() as con:
            return con.execute(sql.format(schema=self.schema), list(params)).fetchall()


_STATE_ROW = pa.schema(
    [
        ("sync_id", pa.string()),
        ("sync_key", pa.string()),
        ("customer_id", pa.string()),
        ("payload_hash", pa.string()),
        ("destination_ids", pa.string()),
        ("partition_value", pa.string()),
        ("last_run_id", pa.string()),
        ("first_synced_at", pa.timestamp("us")),
        ("last_synced_at", pa.timestamp("us")),
    ]
)
_REJECT_ROW = pa.schema(
    [
        ("sync_id", pa.string()),
        ("sync_key", pa.string()),
        ("customer_id", pa.string()),
        ("op", pa.string()),
        ("reason", pa.string()),
        ("payload_hash", pa.string()),
        ("attempts", pa.int32()),
        ("last_run_id", pa.string()),
        ("first_rejected_at", pa.timestamp("us")),
        ("last_rejected_at", pa.timestamp("us")),
    ]
)
