"""The landing sensor starts a build when new part files land, and only then."""

from __future__ import annotations

import shutil

from dagster import AssetKey, RunRequest, SkipReason, build_sensor_context


def evaluate(sensor, instance, cursor):
    return sensor(build_sensor_context(instance=instance, cursor=cursor))


def test_sensor_starts_a_build_for_new_landing_files(
    definitions_module, instance, cdp_env, tmp_path, monkeypatch
):
    from cdp_orchestration.defs.sensors import landing_files_sensor

    landing = tmp_path / "landing"
    shutil.copytree(cdp_env.landing, landing)
    monkeypatch.setenv("CDP_LANDING_DIR", str(landing))

    first = evaluate(landing_files_sensor, instance, None)
    (request,) = first.run_requests
    assert isinstance(request, RunRequest)
    assert request.job_name in (None, "cdp_full_build")
    assert AssetKey(["landing", "shop", "customers"]) in {e.asset_key for e in first.asset_events}

    unchanged = evaluate(landing_files_sensor, instance, first.cursor)
    assert isinstance(unchanged, SkipReason)

    folder = landing / "shop" / "customers"
    shutil.copy(next(folder.glob("part-*.parquet")), folder / "part-09999-c000.parquet")
    arrived = evaluate(landing_files_sensor, instance, first.cursor)
    (request,) = arrived.run_requests
    assert request.run_key != first.run_requests[0].run_key
    assert [e.asset_key for e in arrived.asset_events] == [AssetKey(["landing", "shop", "customers"])]
    assert arrived.asset_events[0].metadata["new_files"].value == ["part-09999-c000.parquet"]

    ignored = folder / "notes.txt"
    ignored.write_text("not a part file")
    assert isinstance(evaluate(landing_files_sensor, instance, arrived.cursor), SkipReason)
