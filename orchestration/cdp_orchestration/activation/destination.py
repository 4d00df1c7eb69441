"""The interface every destination implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from cdp_orchestration.activation.model import Batch, BatchOutcome, Capabilities


@runtime_checkable
class Destination(Protocol):
    """A place audiences are synced to.

    `upsert` receives adds and updates, `remove` receives removes; both return, for every record of the
    batch, an `Ack` or a `Reject`. A record left unanswered counts as rejected. Raising `DestinationError`
    means the whole batch is unacknowledged (it is retried by the next run).
    """

    @property
    def capabilities(self) -> Capabilities: ...

    def upsert(self, batch: Batch) -> BatchOutcome: ...

    def remove(self, batch: Batch) -> BatchOutcome: ...

    def close(self) -> None: ...
