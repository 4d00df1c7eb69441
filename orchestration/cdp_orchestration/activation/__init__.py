"""Reverse ETL: keep destinations in step with the audience marts, Hightouch/Census style.

A plain library (no Dagster import): the orchestration layer wraps `run_sync` in assets.

    from cdp_orchestration.activation import (
        DuckDBSource, DuckDBStateStore, Relation, SyncConfig, run_sync,
    )
    from cdp_orchestration.activation.destinations import KlaviyoListDestination

    result = run_sync(
        SyncConfig("klaviyo_lists", Relation("main_marts.audience_email"), consent_channel="email"),
        DuckDBSource("data/dev/cdp.duckdb"),
        KlaviyoListDestination({"vip": "Y6nRLr"}),
        DuckDBStateStore("data/dev/sync_state.duckdb"),
    )
    result.to_metadata()

Semantics (state, diffing, consent and deletions, retries, resumption) are described in README.md.
"""

from cdp_orchestration.activation.destination import Destination
from cdp_orchestration.activation.diff import AudienceContractError
from cdp_orchestration.activation.engine import MassRemovalError, SyncConfig, SyncHooks, SyncResult, run_sync
from cdp_orchestration.activation.model import (
    Ack,
    Batch,
    BatchOutcome,
    Capabilities,
    DestinationError,
    Record,
    Reject,
)
from cdp_orchestration.activation.source import DuckDBSource, Relation, Source, SqlQuery
from cdp_orchestration.activation.state import DuckDBStateStore, StateStore

__all__ = [
    "Ack",
    "AudienceContractError",
    "Batch",
    "BatchOutcome",
    "Capabilities",
    "Destination",
    "DestinationError",
    "DuckDBSource",
    "DuckDBStateStore",
    "MassRemovalError",
    "Record",
    "Reject",
    "Relation",
    "Source",
    "SqlQuery",
    "StateStore",
    "SyncConfig",
    "SyncHooks",
    "SyncResult",
    "run_sync",
]
