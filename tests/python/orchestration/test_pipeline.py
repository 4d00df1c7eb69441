"""The whole job on the CI sample, in process: dbt build, checks, syncs to files and the local fakes; then a
second run that sends nothing; then bad data that a blocking GX gate keeps from the ESP.

The tests of this module share the package's Dagster instance and run in order.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from cdp_orchestration import report
from cdp_orchestration.warehouse import warehouse_path
from dagster import AssetKey, AssetSelection, Definitions, define_asset_job

from .support import check_results, materializations, run_job

pytestmark = pytest.mark.slow

SYNCS = (
    "esp_list_sync",
    "ads_audience_sync",
    "customer_webhook_sync",
    "customer_file_export_parquet",
    "customer_file_export_csv",
)


def query(sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse_path("ci")), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_full_build_syncs_every_destination(first_run, cdp_env):
    assert first_run.result.success
    done = materializations(first_run.result)
    synced = {name: done[f"destinations/{name}"] for name in SYNCS}
    for name, metadata in synced.items():
        assert metadata["status"] == "succeeded", name
        assert metadata["adds"] > 0, name
        assert metadata["rejects"] == 0, name

    # ESP: every eligible row was acknowledged, and every one has granted email consent. The ESP keys
    # profiles by email, so two customers sharing an email (a family) are one list member.
    eligible, distinct_emails = query(
        """select count(*), count(distinct a.list_key || a.email) from main_marts.audience_email a
           join main_marts.customer_consent c on c.customer_id = a.customer_id and c.channel = 'email'
           where c.is_granted
             and a.customer_id not in (select customer_id from main_marts.customer_deletions)"""
    )[0]
    assert synced["esp_list_sync"]["adds"] == eligible
    assert sum(len(v) for v in first_run.fakes["klaviyo"]["lists"].values()) == distinct_emails
    lists = set(first_run.fakes["klaviyo"]["lists"])
    assert lists == {r[0] for r in query("select distinct list_key from main_marts.audience_email")}

    audience_rows = sum(len(v) for v in first_run.fakes["meta"]["audiences"].values())
    assert audience_rows == synced["ads_audience_sync"]["adds"]
    assert len(first_run.fakes["webhook"]["records"]) == synced["customer_webhook_sync"]["adds"]

    # Files: one Parquet and one CSV upsert file per export, with a manifest that counts them.
    exports = cdp_env.data_dir / "ci" / "exports"
    for name, fmt in (("customer_file_export_parquet", "parquet"), ("customer_file_export_csv", "csv")):
        (run_dir,) = (exports / name).iterdir()
        manifest = json.loads((run_dir / "manifest.json").read_text())
        assert manifest["counts"]["add"] == synced[name]["adds"]
        (upsert,) = run_dir.glob(f"upsert-*.{fmt}")
        table = pq.read_table(upsert) if fmt == "parquet" else pa_csv.read_csv(upsert)
        assert table.num_rows == synced[name]["adds"]
        assert {"op", "sync_key", "customer_id", "email"} <= set(table.column_names)


def test_checks_ran_and_data_docs_were_written(first_run, cdp_env):
    checks = check_results(first_run.result)
    for model in ("dim_customers", "customer_identifiers", "audience_email", "audience_ads", "audience_sms"):
        for gate in ("gx_keys", "gx_formats", "gx_row_count"):
            assert f"marts/{model}:{gate}" in checks
        assert checks[f"marts/{model}:gx_keys"].passed, model
    for model in ("audience_email", "audience_sms", "audience_ads"):
        assert checks[f"marts/{model}:gx_consent"].passed, model
    assert checks["marts/audience_email:unique_audience_email_sync_key"].passed  # a dbt test
    docs = cdp_env.data_dir / "ci" / "gx_docs"
    assert (docs / "index.html").exists()
    assert "audience_email" in (docs / "index.html").read_text()


def test_identity_run_pictures_are_asset_metadata(first_run):
    identity = materializations(first_run.result)["marts/customer_identifiers"]
    (customers,) = query(
        "select count(distinct customer_id) from main_intermediate.int_identity_customer_ids"
    )[0]
    assert identity["identity/customers"] == customers
    assert "█" in identity["identity/cluster_size_histogram"]
    match_rates = {r.data["source"] for r in identity["identity/source_match_rates"].records}
    assert match_rates == {
        r[0] for r in query("select distinct source from main_intermediate.int_identity_records")
    }
    assert identity["identity/cc_rounds"] >= 1
    assert identity["identity/quarantine_by_reason"].records


def test_second_run_without_new_data_sends_nothing(first_run, defs, instance, cdp_env):
    second = run_job(defs, "cdp_full_build", instance, cdp_env.fakes)
    assert second.result.success
    done = materializations(second.result)
    for name in SYNCS:
        metadata = done[f"destinations/{name}"]
        assert (metadata["adds"], metadata["updates"], metadata["removes"]) == (0, 0, 0), (name, metadata)
    assert second.requests == first_run.requests  # not one HTTP call to the destinations
    # The row-count gate now compares with the first run.
    row_count = check_results(second.result)["marts/audience_email:gx_row_count"]
    assert row_count.passed
    assert row_count.metadata["previous_row_counts"].value


def test_failed_critical_gate_blocks_the_sync(first_run, defs, instance, cdp_env):
    with duckdb.connect(str(warehouse_path("ci"))) as con:
        con.execute("insert into main_marts.audience_email select * from main_marts.audience_email limit 1")
    from cdp_orchestration.defs.quality import gx_checks

    (gates,) = [c for c in gx_checks if c.node_def.name == "gx_audience_email"]
    esp = AssetKey(["destinations", "esp_list_sync"])
    job = define_asset_job(
        "gated_esp_sync", selection=AssetSelection.assets(esp) | AssetSelection.checks(gates)
    )
    gated = Definitions.merge(defs, Definitions(jobs=[job]))
    before = cdp_env.fakes.snapshot()["requests"]

    run = run_job(gated, "gated_esp_sync", instance, cdp_env.fakes)

    assert not run.result.success
    assert not check_results(run.result)["marts/audience_email:gx_keys"].passed
    assert "destinations/esp_list_sync" not in materializations(run.result)
    assert run.requests == before


def test_report_renders_the_run(first_run, tmp_path: Path):
    out = tmp_path / "report.html"
    report.build_report("ci").save(str(out), format="html")
    html = out.read_text()
    spec = json.loads(html.split("var spec = ", 1)[1].split(";\n", 1)[0])
    data = {chart["title"]: chart["data"]["values"] for chart in spec["vconcat"]}
    sizes = data["Customers by cluster size (records per customer)"]
    (records,) = query("select count(*) from main_intermediate.int_identity_customer_ids")[0]
    assert sum(r["records"] for r in sizes) == records
    sources = {r["source"] for r in data["Share of each source's records matched to another"]}
    assert {"shop", "esp", "web"} <= sources
    assert data["Connected components: edges left per round"]
    segments = {r["segment"] for r in data["Segment sizes over time"]}
    assert "vip" in segments
