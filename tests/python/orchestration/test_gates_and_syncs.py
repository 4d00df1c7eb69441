"""Sync assets and GX gates materialized in process on a small hand-made warehouse (no dbt): what the ESP
receives, a second run that sends nothing, and bad data that a blocking gate keeps from the ESP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from cdp_orchestration.activation.demo import DEMO_SECRETS
from cdp_orchestration.activation.fake_servers import FakeServers
from cdp_orchestration.defs.quality import gx_checks
from cdp_orchestration.defs.resources import Destinations, GreatExpectations, SyncStateStore, Warehouse
from cdp_orchestration.defs.reverse_etl import SYNCS, sync_asset
from dagster import AssetSelection, DagsterInstance, materialize

from .support import check_results, materializations

MARTS = """
create schema main_marts;
create table main_marts.customer_consent as
    select 'cus_' || i as customer_id, 'email' as channel,
           case when i = 4 then 'denied' else 'granted' end as consent_status,
           timestamp '2025-01-01' as decided_at
    from range(5) as t(i);
create table main_marts.customer_deletions as
    select 'cus_3' as customer_id, timestamp '2025-02-01' as requested_at;
create table main_marts.audience_email as
    select 'cus_' || i || ':vip' as sync_key, 'cus_' || i as customer_id, 'vip' as list_key,
           'person' || i || '@example.com' as email, 'First' || i as first_name
    from range(3) as t(i);
"""


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServers]:
    for name, value in DEMO_SECRETS.items():
        monkeypatch.setenv(name, value)
    with FakeServers(
        klaviyo_api_key=DEMO_SECRETS["CDP_KLAVIYO_API_KEY"],
        meta_access_token=DEMO_SECRETS["CDP_META_ACCESS_TOKEN"],
        webhook_secret=DEMO_SECRETS["CDP_WEBHOOK_SECRET"],
    ) as servers:
        yield servers


def resources(tmp_path: Path, fakes: FakeServers) -> dict[str, object]:
    return {
        "warehouse": Warehouse(target="ci", duckdb_path=str(tmp_path / "warehouse.duckdb")),
        "sync_state": SyncStateStore(directory=str(tmp_path / "state")),
        "destinations": Destinations(
            klaviyo_base_url=fakes.url,
            klaviyo_list_ids={},
            meta_base_url=fakes.url,
            meta_audience_ids={},
            webhook_url=f"{fakes.url}/webhook",
            export_dir=str(tmp_path / "exports"),
            postgres_table="cdp.customers",
            klaviyo_rate_limited=False,
        ),
        "great_expectations": GreatExpectations(
            root_dir=str(tmp_path / "gx"), docs_dir=str(tmp_path / "docs")
        ),
    }


def test_gate_then_sync_then_nothing_then_blocked(tmp_path, fakes):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute(MARTS)
    (esp_spec,) = [s for s in SYNCS if s.name == "esp_list_sync"]
    (gate,) = [c for c in gx_checks if c.node_def.name == "gx_audience_email"]
    esp = sync_asset(esp_spec)
    instance = DagsterInstance.ephemeral()

    def run():  # the audience's gates, then the ESP sync, like the sync job
        return materialize(
            [esp, gate],
            selection=AssetSelection.assets(esp) | AssetSelection.checks(gate),
            resources=resources(tmp_path, fakes),
            instance=instance,
            raise_on_error=False,
        )

    first = run()
    assert first.success
    synced = materializations(first)["destinations/esp_list_sync"]
    assert (synced["adds"], synced["rejects"]) == (3, 0)
    assert fakes.klaviyo.list_emails("vip") == {f"person{i}@example.com" for i in range(3)}
    assert all(c.passed for c in check_results(first).values())

    second = run()
    assert second.success
    synced = materializations(second)["destinations/esp_list_sync"]
    assert (synced["adds"], synced["updates"], synced["removes"]) == (0, 0, 0)

    requests = fakes.snapshot()["requests"]
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute("insert into main_marts.audience_email select * from main_marts.audience_email limit 1")
    third = run()
    assert not third.success
    assert not check_results(third)["marts/audience_email:gx_keys"].passed
    assert "destinations/esp_list_sync" not in materializations(third)
    assert fakes.snapshot()["requests"] == requests
