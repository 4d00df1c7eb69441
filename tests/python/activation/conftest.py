"""Fixtures for the activation tests: a scratch warehouse with the mart contracts, the fake HTTP APIs,
a state store, and a sleep that records instead of waiting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cdp_orchestration.activation import DuckDBStateStore
from cdp_orchestration.activation.fake_servers import FakeServers

from .support import KLAVIYO_KEY, META_TOKEN, SCHEMAS, WEBHOOK_SECRET, RecordingSleep, Warehouse


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    wh = Warehouse(tmp_path / "warehouse.duckdb")
    wh.replace_many({table: [] for table in SCHEMAS})
    return wh


@pytest.fixture
def state(tmp_path: Path) -> DuckDBStateStore:
    return DuckDBStateStore(tmp_path / "state.duckdb")


@pytest.fixture(autouse=True)
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDP_KLAVIYO_API_KEY", KLAVIYO_KEY)
    monkeypatch.setenv("CDP_META_ACCESS_TOKEN", META_TOKEN)
    monkeypatch.setenv("CDP_WEBHOOK_SECRET", WEBHOOK_SECRET)


@pytest.fixture
def fake() -> Iterator[FakeServers]:
    with FakeServers(
        klaviyo_api_key=KLAVIYO_KEY, meta_access_token=META_TOKEN, webhook_secret=WEBHOOK_SECRET
    ) as servers:
        yield servers


@pytest.fixture
def sleeps() -> RecordingSleep:
    return RecordingSleep()
