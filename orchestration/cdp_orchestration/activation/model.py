"""The values that flow between the engine, the state store and the destinations."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

import pyarrow as pa

Op = Literal["add", "update", "remove"]
BatchKind = Literal["upsert", "remove"]
ConsentChannel = Literal["email", "sms", "ads"]
# Why a row is removed from a destination: it left the audience, its consent for the sync's channel is no
# longer granted, or the person asked to be deleted (the destination should then erase, not just unlist).
RemoveReason = Literal["left_audience", "consent_revoked", "deleted"]


@dataclass(frozen=True)
class Record:
    """One change for one `sync_key`.

    `payload` is the audience row (empty for removes). `previous_ids` is what the destination returned when
    it last acknowledged this key (e.g. a Klaviyo profile id, the hashed row sent to Meta): the handle needed
    to update or remove it.
    """

    sync_key: str
    customer_id: str
    op: Op
    payload: Mapping[str, Any] = field(default_factory=dict)
    payload_hash: str | None = None
    previous_ids: Mapping[str, Any] | None = None
    remove_reason: RemoveReason | None = None


@dataclass(frozen=True)
class Batch:
    """Records sent to a destination in one call, all of one kind and one partition (e.g. one list).

    `group_seq`/`group_total`/`group_size` place the batch within its (kind, partition) group, for APIs with
    multi-request upload sessions (Meta). `idempotency_key` is derived from the run id and the contents, so
    a batch resent after a crash carries the same key.
    """

    sync_id: str
    run_id: str
    seq: int
    kind: BatchKind
    partition: str | None
    records: tuple[Record, ...]
    idempotency_key: str
    group_seq: int = 1
    group_total: int = 1
    group_size: int = 0
    schema: pa.Schema | None = None

    def __len__(self) -> int:
        return len(self.records)


@dataclass(frozen=True)
class Ack:
    """The destination accepted the record; `destination_ids` are kept in state to update/remove it later."""

    sync_key: str
    destination_ids: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reject:
    """The destination refused the record (bad value, unknown list...): stored and retried on the next run."""

    sync_key: str
    reason: str


@dataclass
class BatchOutcome:
    acks: list[Ack] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    retries: int = 0


@dataclass(frozen=True)
class Capabilities:
    """What the engine needs to know to feed a destination.

    batch_size: records per call (None: no limit, the whole change set in one call).
    requests_per_second: steady request rate the destination's HTTP client keeps to (None: unlimited).
    partition_by: audience column whose value must be the same within a batch (e.g. the list).
    idempotency_keys: whether the API honours an idempotency key, making a resent batch a no-op.
    """

    name: str
    batch_size: int | None
    requests_per_second: float | None = None
    partition_by: str | None = None
    idempotency_keys: bool = False


class DestinationError(Exception):
    """The batch was not acknowledged (destination down, retries exhausted, auth refused).

    Nothing of the batch is committed: every record is sent again by the next run.
    """

    def __init__(self, message: str, *, retries: int = 0) -> None:
        super().__init__(message)
        self.retries = retries


def json_default(value: object) -> object:
    """`json.dumps` default for the values pyarrow hands back (decimals, dates, timestamps)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: object) -> str:
    """Compact, key-sorted JSON: the same value always gives the same bytes (hashes, signatures)."""
    return json.dumps(value, default=json_default, sort_keys=True, separators=(",", ":"))
