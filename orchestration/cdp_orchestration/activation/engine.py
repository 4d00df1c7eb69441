"""The sync engine: read, enforce consent and deletions, diff against state, send in batches, commit.

See README.md beside this file for the semantics (what is sent when, where state lives, resumption).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import pyarrow as pa

from cdp_orchestration.activation.destination import Destination
from cdp_orchestration.activation.diff import Change, compute_diff
from cdp_orchestration.activation.model import (
    Batch,
    BatchOutcome,
    ConsentChannel,
    DestinationError,
    Reject,
)
from cdp_orchestration.activation.planning import plan_batches
from cdp_orchestration.activation.source import Query, Relation, Source, read_table
from cdp_orchestration.activation.state import StateStore

logger = logging.getLogger(__name__)

CONSENT = Relation("main_marts.customer_consent")
DELETIONS = Relation("main_marts.customer_deletions")
NO_ACK_REASON = "destination returned no acknowledgement for this record"


@dataclass(frozen=True)
class SyncConfig:
    """One audience synced to one destination.

    consent_channel: the channel whose consent each person needs ("email", "sms", "ads"), or None for
    internal destinations (Postgres, files). Deletions are enforced for every sync.
    max_removal_ratio: refuse to run (`MassRemovalError`) when more than this share of the rows synced so
    far would be removed for leaving the audience or losing consent, the sign of a broken mart rather than
    of real change. Removals for deletion requests are never held back.
    """

    sync_id: str
    audience: Query
    consent_channel: ConsentChannel | None = None
    consent: Query = CONSENT
    deletions: Query = DELETIONS
    allowed_consent: tuple[str, ...] = ("granted",)
    max_removal_ratio: float | None = None


class MassRemovalError(RuntimeError):
    """The run would remove more of the destination than `SyncConfig.max_removal_ratio` allows."""


@dataclass
class SyncHooks:
    """Called around each batch. For observers (and for tests that simulate a crash by raising)."""

    after_send: Callable[[Batch, BatchOutcome], None] | None = None
    after_commit: Callable[[Batch, BatchOutcome], None] | None = None


@dataclass
class SyncResult:
    """What a run did. Counts of adds/updates/removes are acknowledged records (planned ones in a dry run)."""

    sync_id: str
    run_id: str
    status: Literal["succeeded", "failed", "dry_run"]
    resumed: bool = False
    adds: int = 0
    updates: int = 0
    removes: int = 0
    rejects: int = 0
    unchanged: int = 0
    skipped_consent: int = 0
    skipped_deleted: int = 0
    batches: int = 0
    batches_planned: int = 0
    failed_batches: int = 0
    retries: int = 0
    duration_seconds: float = 0.0
    error: str | None = None
    planned: list[Batch] = field(default_factory=list, repr=False)

    @property
    def succeeded(self) -> bool:
        return self.status != "failed"

    def to_metadata(self) -> dict[str, int | float | str | bool]:
        """Flat values, e.g. for Dagster's `MaterializeResult(metadata=...)`."""
        values: dict[str, int | float | str | bool] = {
            "sync_id": self.sync_id,
            "run_id": self.run_id,
            "status": self.status,
            "resumed": self.resumed,
            "adds": self.adds,
            "updates": self.updates,
            "removes": self.removes,
            "rejects": self.rejects,
            "unchanged": self.unchanged,
            "skipped_consent": self.skipped_consent,
            "skipped_deleted": self.skipped_deleted,
            "batches": self.batches,
            "batches_planned": self.batches_planned,
            "failed_batches": self.failed_batches,
            "retries": self.retries,
            "duration_seconds": round(self.duration_seconds, 3),
        }
        if self.error:
            values["error"] = self.error
        return values

    def describe(self) -> str:
        """A human summary; for a dry run, every batch that would be sent."""
        lines = [
            f"sync {self.sync_id} run {self.run_id} [{self.status}]: +{self.adds} ~{self.updates} "
            f"-{self.removes}, {self.rejects} rejected, {self.unchanged} unchanged, "
            f"{self.skipped_consent} without consent, {self.skipped_deleted} deleted, "
            f"{self.batches}/{self.batches_planned} batches, {self.retries} retries"
        ]
        for batch in self.planned:
            ops = ", ".join(
                f"{r.op} {r.sync_key}" + (f" ({r.remove_reason})" if r.remove_reason else "")
                for r in batch.records[:5]
            )
            more = f" ... and {len(batch) - 5} more" if len(batch) > 5 else ""
            lines.append(
                f"  batch {batch.seq} {batch.kind} {batch.partition or ''} x{len(batch)}: {ops}{more}"
            )
        if self.error:
            lines.append(f"  error: {self.error}")
        return "\n".join(lines)


def new_run_id(now: datetime) -> str:
    return f"{now:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def _reconcile(batch: Batch, outcome: BatchOutcome) -> BatchOutcome:
    """Every record ends up acked or rejected, exactly once; a reject wins over an ack."""
    keys = {r.sync_key for r in batch.records}
    rejected = {r.sync_key: r for r in outcome.rejects if r.sync_key in keys}
    acks = [a for a in outcome.acks if a.sync_key in keys and a.sync_key not in rejected]
    answered = set(rejected) | {a.sync_key for a in acks}
    missing = [Reject(r.sync_key, NO_ACK_REASON) for r in batch.records if r.sync_key not in answered]
    return BatchOutcome(acks=acks, rejects=list(rejected.values()) + missing, retries=outcome.retries)


def run_sync(
    config: SyncConfig,
    source: Source,
    destination: Destination,
    state: StateStore,
    *,
    dry_run: bool = False,
    hooks: SyncHooks | None = None,
    clock: Callable[[], float] = time.monotonic,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> SyncResult:
    """Run (or resume) one sync. A dry run returns the planned batches and touches neither the
    destination nor the state."""
    started = clock()
    # Read the warehouse before opening the state store: they may be the same DuckDB file.
    audience = read_table(source, config.audience)
    deletions = read_table(source, config.deletions)
    consent = read_table(source, config.consent) if config.consent_channel else None
    with state.session():
        result = _run(
            config,
            audience,
            deletions,
            consent,
            destination,
            state,
            dry_run,
            hooks or SyncHooks(),
            now,
            elapsed=lambda: clock() - started,
        )
    logger.info("%s", result.describe())
    return result


def _run(
    config: SyncConfig,
    audience: pa.Table,
    deletions: pa.Table,
    consent: pa.Table | None,
    destination: Destination,
    state: StateStore,
    dry_run: bool,
    hooks: SyncHooks,
    now: Callable[[], datetime],
    elapsed: Callable[[], float],
) -> SyncResult:
    caps = destination.capabilities
    unfinished = state.unfinished_run(config.sync_id)
    run_id = unfinished or new_run_id(now())
    current = state.load_state(config.sync_id)
    diff = compute_diff(
        audience,
        current,
        deletions,
        consent=consent,
        consent_channel=config.consent_channel,
        allowed_consent=config.allowed_consent,
        partition_by=caps.partition_by,
    )
    _check_removal_ratio(config, diff.changes, current.num_rows)
    pending = state.pending_batches(config.sync_id, run_id) if unfinished else []
    batches, superseded = plan_batches(
        config.sync_id, run_id, diff.changes, caps.batch_size, schema=audience.schema, pending=pending
    )
    result = SyncResult(
        sync_id=config.sync_id,
        run_id=run_id,
        status="dry_run" if dry_run else "succeeded",
        resumed=unfinished is not None,
        unchanged=diff.unchanged,
        skipped_consent=diff.skipped_consent,
        skipped_deleted=diff.skipped_deleted,
        batches_planned=len(batches),
    )
    if dry_run:
        result.planned = batches
        for change in diff.changes:
            _count(result, change.record.op)
        result.duration_seconds = elapsed()
        return result

    state.start_run(config.sync_id, run_id, now())
    state.record_plan(config.sync_id, run_id, batches, superseded, now())
    for batch in batches:
        state.mark_batch(batch, "sending", now())
        try:
            sent = destination.upsert(batch) if batch.kind == "upsert" else destination.remove(batch)
        except DestinationError as exc:
            state.mark_batch(batch, "failed", now(), str(exc))
            result.status, result.error = "failed", str(exc)
            result.failed_batches += 1
            result.retries += exc.retries
            logger.warning("sync %s batch %s not acknowledged: %s", config.sync_id, batch.seq, exc)
            break
        outcome = _reconcile(batch, sent)
        if hooks.after_send:
            hooks.after_send(batch, outcome)
        state.commit_batch(batch, outcome, now())
        result.batches += 1
        result.retries += outcome.retries
        result.rejects += len(outcome.rejects)
        ops = {r.sync_key: r.op for r in batch.records}
        for ack in outcome.acks:
            _count(result, ops[ack.sync_key])
        if hooks.after_commit:
            hooks.after_commit(batch, outcome)

    state.forget_rejects_except(config.sync_id, [c.record.sync_key for c in diff.changes])
    state.purge_customers(config.sync_id, sorted(diff.deleted_customer_ids))
    result.duration_seconds = elapsed()
    state.finish_run(config.sync_id, run_id, result.status, now(), result.to_metadata(), result.error)
    return result


def _check_removal_ratio(config: SyncConfig, changes: Sequence[Change], synced: int) -> None:
    if config.max_removal_ratio is None or not synced:
        return
    leaving = sum(1 for c in changes if c.record.op == "remove" and c.record.remove_reason != "deleted")
    if leaving > config.max_removal_ratio * synced:
        raise MassRemovalError(
            f"sync {config.sync_id} would remove {leaving} of {synced} synced rows, more than "
            f"max_removal_ratio={config.max_removal_ratio}; check the audience mart"
        )


def _count(result: SyncResult, op: str) -> None:
    if op == "add":
        result.adds += 1
    elif op == "update":
        result.updates += 1
    else:
        result.removes += 1
