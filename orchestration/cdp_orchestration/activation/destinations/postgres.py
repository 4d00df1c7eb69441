"""PostgreSQL: an operational table kept in step with an audience.

Modes:
- upsert: adds and updates are `INSERT ... ON CONFLICT (sync_key) DO UPDATE`; rows leaving the audience stay
  (the table accumulates everyone ever synced), except people who asked for deletion, whose rows are deleted.
- mirror: the table mirrors the audience: every remove is a `DELETE`.

The table is created if missing (columns from the audience's Arrow schema, `sync_key` primary key, plus
`_cdp_run_id` and `_cdp_synced_at`); columns the audience gained are added. One transaction per batch. When a
row breaks a constraint or a type, the batch is replayed with one savepoint per row inside one transaction,
so the bad rows are rejected with the server's message and the others are written.
The DSN comes from the environment variable named by `dsn_env` (default `CDP_POSTGRES_DSN`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import psycopg
import pyarrow as pa
import tenacity
from psycopg import sql
from psycopg.types.json import Jsonb

from cdp_orchestration.activation.model import (
    Ack,
    Batch,
    BatchOutcome,
    Capabilities,
    DestinationError,
    Reject,
)

PostgresMode = Literal["upsert", "mirror"]
KEY_COLUMNS = ("sync_key", "customer_id")
ROW_ERRORS = (psycopg.DataError, psycopg.IntegrityError)


def postgres_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "text"
    if pa.types.is_integer(arrow_type):
        return "bigint"
    if pa.types.is_floating(arrow_type):
        return "double precision"
    if pa.types.is_decimal(arrow_type):
        return f"numeric({arrow_type.precision}, {arrow_type.scale})"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        return "timestamptz" if arrow_type.tz else "timestamp"
    if pa.types.is_nested(arrow_type):
        return "jsonb"
    return "text"


class PostgresDestination:
    def __init__(
        self,
        table: str,
        *,
        mode: PostgresMode = "upsert",
        dsn_env: str = "CDP_POSTGRES_DSN",
        batch_size: int = 1000,
        max_attempts: int = 3,
    ) -> None:
        dsn = os.environ.get(dsn_env)
        if not dsn:
            raise ValueError(f"set {dsn_env} to the PostgreSQL connection string")
        self._dsn = dsn
        schema, _, name = table.rpartition(".")
        self.schema_name = schema or "public"
        self.table_name = name
        self.mode = mode
        self._batch_size = batch_size
        self._conn: psycopg.Connection | None = None
        self._columns: dict[str, str] | None = None
        self._retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(max_attempts),
            wait=tenacity.wait_exponential_jitter(initial=0.5, max=10),
            retry=tenacity.retry_if_exception_type(psycopg.OperationalError),
            before_sleep=lambda _: self._reset(),
        )

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(name=f"postgres:{self.mode}", batch_size=self._batch_size)

    @property
    def _table(self) -> sql.Composed:
        return sql.SQL("{}.{}").format(sql.Identifier(self.schema_name), sql.Identifier(self.table_name))

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            # autocommit: each `conn.transaction()` block is then a real transaction, not a savepoint
            self._conn = psycopg.connect(self._dsn, autocommit=True)
            self._columns = None
        return self._conn

    def _reset(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None

    def close(self) -> None:
        self._reset()

    def _existing_columns(self, conn: psycopg.Connection) -> dict[str, str]:
        rows = conn.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = %s and table_name = %s",
            [self.schema_name, self.table_name],
        ).fetchall()
        return dict(rows)

    def _ensure_table(self, conn: psycopg.Connection, schema: pa.Schema) -> None:
        if self._columns is None:
            self._columns = self._existing_columns(conn)
        wanted = [f for f in schema if f.name not in KEY_COLUMNS]
        with conn.transaction():
            if not self._columns:
                conn.execute(
                    sql.SQL("create schema if not exists {}").format(sql.Identifier(self.schema_name))
                )
                definitions = [
                    sql.SQL("sync_key text primary key"),
                    sql.SQL("customer_id text not null"),
                    *[
                        sql.SQL("{} {}").format(sql.Identifier(f.name), sql.SQL(postgres_type(f.type)))
                        for f in wanted
                    ],
                    sql.SQL("_cdp_run_id text"),
                    sql.SQL("_cdp_synced_at timestamptz"),
                ]
                conn.execute(
                    sql.SQL("create table if not exists {} ({})").format(
                        self._table, sql.SQL(", ").join(definitions)
                    )
                )
            else:
                for f in wanted:
                    if f.name not in self._columns:
                        conn.execute(
                            sql.SQL("alter table {} add column if not exists {} {}").format(
                                self._table, sql.Identifier(f.name), sql.SQL(postgres_type(f.type))
                            )
                        )
        self._columns = self._existing_columns(conn)

    def upsert(self, batch: Batch) -> BatchOutcome:
        schema = batch.schema or pa.schema([(k, pa.string()) for k in KEY_COLUMNS])
        payload_fields = [f for f in schema if f.name not in KEY_COLUMNS]
        columns = [*KEY_COLUMNS, *(f.name for f in payload_fields), "_cdp_run_id", "_cdp_synced_at"]
        nested = {f.name for f in payload_fields if pa.types.is_nested(f.type)}
        statement = sql.SQL(
            "insert into {table} ({columns}) values ({values}) on conflict (sync_key) do update set {updates}"
        ).format(
            table=self._table,
            columns=sql.SQL(", ").join(map(sql.Identifier, columns)),
            values=sql.SQL(", ").join(sql.Placeholder() * len(columns)),
            updates=sql.SQL(", ").join(
                sql.SQL("{0} = excluded.{0}").format(sql.Identifier(c)) for c in columns if c != "sync_key"
            ),
        )
        synced_at = datetime.now(UTC)
        rows = [
            (
                r.sync_key,
                [
                    r.sync_key,
                    r.customer_id,
                    *(_value(r.payload.get(f.name), f.name in nested) for f in payload_fields),
                    batch.run_id,
                    synced_at,
                ],
            )
            for r in batch.records
        ]

        def write() -> BatchOutcome:
            conn = self._connection()
            self._ensure_table(conn, schema)
            return self._apply(conn, statement, rows)

        return self._with_retries(write)

    def remove(self, batch: Batch) -> BatchOutcome:
        targets = [r for r in batch.records if self.mode == "mirror" or r.remove_reason == "deleted"]
        statement = sql.SQL("delete from {} where sync_key = %s").format(self._table)

        def delete() -> BatchOutcome:
            conn = self._connection()
            if self._columns is None:
                self._columns = self._existing_columns(conn)
            if targets and self._columns:
                outcome = self._apply(conn, statement, [(r.sync_key, [r.sync_key]) for r in targets])
            else:
                outcome = BatchOutcome()
            # In upsert mode a row leaving the audience stays in the table: acknowledged as is.
            target_keys = {r.sync_key for r in targets}
            kept = [Ack(r.sync_key) for r in batch.records if r.sync_key not in target_keys]
            return BatchOutcome(acks=outcome.acks + kept, rejects=outcome.rejects)

        return self._with_retries(delete)

    def _with_retries(self, work: Any) -> BatchOutcome:
        try:
            return self._retrying(work)
        except tenacity.RetryError as exc:
            raise DestinationError(f"PostgreSQL unavailable: {exc.last_attempt.exception()}") from exc

    def _apply(
        self, conn: psycopg.Connection, statement: sql.Composed, rows: Sequence[tuple[str, list[Any]]]
    ) -> BatchOutcome:
        try:
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(statement, [values for _, values in rows])
            return BatchOutcome(acks=[Ack(key) for key, _ in rows])
        except ROW_ERRORS:
            pass
        acks: list[Ack] = []
        rejects: list[Reject] = []
        with conn.transaction(), conn.cursor() as cur:
            for key, values in rows:
                try:
                    with conn.transaction():
                        cur.execute(statement, values)
                    acks.append(Ack(key))
                except ROW_ERRORS as exc:
                    rejects.append(Reject(key, f"{type(exc).__name__}: {exc.diag.message_primary or exc}"))
        return BatchOutcome(acks=acks, rejects=rejects)


def _value(value: Any, nested: bool) -> Any:
    return Jsonb(value) if nested and value is not None else value
