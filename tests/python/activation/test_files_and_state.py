"""Files with a manifest; state kept in a schema of the warehouse file; the diff on its own."""

from __future__ import annotations

import hashlib
import json

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from cdp_orchestration.activation import DuckDBSource, DuckDBStateStore, Relation, SyncConfig, run_sync
from cdp_orchestration.activation.destinations import FileDestination
from cdp_orchestration.activation.diff import STATE_SCHEMA, compute_diff

from .support import SCHEMAS, customer_id, customer_row

CUSTOMERS = SyncConfig("crm_files", Relation("main_marts.audience_customers"))


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_files_one_per_run_and_kind_with_a_manifest(warehouse, state, tmp_path, file_format):
    out = tmp_path / "exports"
    warehouse.replace("audience_customers", [customer_row(i) for i in range(3)])
    first = run_sync(CUSTOMERS, warehouse.source, FileDestination(out, file_format=file_format), state)
    warehouse.replace(
        "audience_customers", [customer_row(0, loyalty_tier="gold"), customer_row(1), customer_row(7)]
    )
    second = run_sync(CUSTOMERS, warehouse.source, FileDestination(out, file_format=file_format), state)

    run_dir = out / "crm_files" / second.run_id
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["run_id"] == second.run_id
    assert manifest["counts"] == {"add": 1, "update": 1, "remove": 1}
    assert [f["path"] for f in manifest["files"]] == [
        f"remove-00001.{file_format}",
        f"upsert-00002.{file_format}",
    ]
    for entry in manifest["files"]:
        data = (run_dir / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["bytes"] == len(data)
    assert [c["name"] for c in manifest["schema"]][:4] == ["op", "remove_reason", "sync_key", "customer_id"]
    assert "loyalty_tier" in [c["name"] for c in manifest["schema"]]

    read = pq.read_table if file_format == "parquet" else pa_csv.read_csv
    upserts = read(run_dir / f"upsert-00002.{file_format}").to_pylist()
    assert {(r["op"], r["sync_key"], r["loyalty_tier"]) for r in upserts} == {
        ("update", customer_id(0), "gold"),
        ("add", customer_id(7), "silver"),
    }
    [removed] = read(run_dir / f"remove-00001.{file_format}").to_pylist()
    assert (removed["op"], removed["sync_key"], removed["remove_reason"]) == (
        "remove",
        customer_id(2),
        "left_audience",
    )
    assert (out / "crm_files" / first.run_id / "manifest.json").exists()
    assert not list(out.rglob("*.tmp"))


def test_state_can_live_in_a_schema_of_the_warehouse_file(warehouse, tmp_path):
    warehouse.replace("audience_customers", [customer_row(i) for i in range(2)])
    state = DuckDBStateStore(warehouse.path, schema="cdp_sync_state")
    source = DuckDBSource(warehouse.path)
    first = run_sync(CUSTOMERS, source, FileDestination(tmp_path / "out"), state)
    second = run_sync(CUSTOMERS, source, FileDestination(tmp_path / "out"), state)
    assert (first.adds, second.adds, second.unchanged) == (2, 0, 2)
    rows = DuckDBSource(warehouse.path).batches(Relation("cdp_sync_state.sync_state"))
    assert sum(b.num_rows for b in rows) == 2


def _table(name, rows):
    return pa.Table.from_pylist(rows, schema=SCHEMAS[name])


def test_compute_diff_classifies_rows_and_orders_removes_first():
    audience = _table("audience_customers", [customer_row(i) for i in (1, 2, 3)])
    first = compute_diff(audience, STATE_SCHEMA.empty_table(), _table("customer_deletions", []))
    assert [(c.kind, c.record.op, c.record.sync_key) for c in first.changes] == [
        ("upsert", "add", customer_id(i)) for i in (1, 2, 3)
    ]
    state = pa.Table.from_pylist(
        [
            {
                "sync_key": c.record.sync_key,
                "customer_id": c.record.customer_id,
                "payload_hash": c.record.payload_hash,
                "destination_ids": json.dumps({"id": c.record.sync_key}),
                "partition_value": None,
            }
            for c in first.changes
        ],
        schema=STATE_SCHEMA,
    )
    audience = _table(
        "audience_customers", [customer_row(1), customer_row(2, first_name="Zed"), customer_row(4)]
    )
    deletions = _table("customer_deletions", [{"customer_id": customer_id(1), "requested_at": None}])
    diff = compute_diff(audience, state, deletions)
    assert [(c.record.op, c.record.sync_key, c.record.remove_reason) for c in diff.changes] == [
        ("remove", customer_id(1), "deleted"),
        ("remove", customer_id(3), "left_audience"),
        ("update", customer_id(2), None),
        ("add", customer_id(4), None),
    ]
    assert diff.changes[0].record.previous_ids == {"id": customer_id(1)}
    assert diff.changes[2].record.payload["first_name"] == "Zed"
    assert (diff.unchanged, diff.skipped_deleted) == (0, 1)


def test_a_sync_with_a_consent_channel_needs_the_consent_table():
    audience = _table("audience_customers", [customer_row(1)])
    with pytest.raises(ValueError, match="consent"):
        compute_diff(
            audience, STATE_SCHEMA.empty_table(), _table("customer_deletions", []), consent_channel="email"
        )
