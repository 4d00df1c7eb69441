"""The code location loads, and its lineage runs from landing files to destinations."""

from __future__ import annotations

from dagster import AssetKey, Definitions, build_schedule_context, validate_run_config


def test_definitions_load(defs):
    Definitions.validate_loadable(defs)
    assert {j.name for j in defs.resolve_all_job_defs()} >= {"cdp_full_build", "cdp_syncs"}
    assert defs.resolve_schedule_def("daily_full_build").cron_schedule == "0 4 * * *"
    assert defs.resolve_sensor_def("landing_files_sensor").job_name == "cdp_full_build"


def test_lineage_runs_from_landing_to_destinations(defs):
    graph = defs.resolve_asset_graph()
    groups = {key: graph.get(key).group_name for key in graph.get_all_asset_keys()}
    landing = {k for k, g in groups.items() if g == "landing"}
    assert AssetKey(["landing", "shop", "customers"]) in landing
    assert all(not graph.get(k).is_executable for k in landing)
    assert graph.get(AssetKey(["staging", "stg_shop__customers"])).parent_keys == {
        AssetKey(["landing", "shop", "customers"])
    }
    assert groups[AssetKey(["intermediate", "int_identity_customer_ids"])] == "intermediate_identity"
    assert groups[AssetKey(["marts", "audience_email"])] == "marts_activation"
    assert groups[AssetKey(["reference", "identity_blocklist"])] == "reference"

    esp = graph.get(AssetKey(["destinations", "esp_list_sync"]))
    assert esp.parent_keys == {
        AssetKey(["marts", "audience_email"]),
        AssetKey(["marts", "customer_consent"]),
        AssetKey(["marts", "customer_deletions"]),
    }
    destinations = {k.path[-1] for k, g in groups.items() if g == "destinations"}
    # No CDP_POSTGRES_DSN in these tests: no Postgres sync.
    assert destinations == {
        "esp_list_sync",
        "ads_audience_sync",
        "customer_webhook_sync",
        "customer_file_export_parquet",
        "customer_file_export_csv",
    }


def test_dbt_tests_and_gx_gates_are_checks(defs):
    graph = defs.resolve_asset_graph()
    checks = {(c.asset_key.path[-1], c.name): c for c in graph.asset_check_keys}
    assert ("audience_email", "unique_audience_email_sync_key") in checks
    for model in ("dim_customers", "customer_identifiers", "audience_email", "audience_sms", "audience_ads"):
        assert (model, "gx_keys") in checks
        assert (model, "gx_row_count") in checks
    for model in ("audience_email", "audience_sms", "audience_ads"):
        assert (model, "gx_consent") in checks

    def blocking(model: str, name: str) -> bool:
        return graph.get_check_spec(checks[(model, name)]).blocking

    assert blocking("audience_email", "gx_consent")
    assert blocking("audience_email", "gx_keys")
    assert not blocking("dim_customers", "gx_formats")


def test_scheduled_builds_leave_the_unit_tests_to_ci(defs):
    # Imported here: the module reads the dbt manifest, which the `defs` fixture prepares first.
    from cdp_orchestration.defs.dbt_assets import DbtBuildConfig

    assert DbtBuildConfig().args() == ["build", "--exclude-resource-type", "unit_test"]
    assert DbtBuildConfig(unit_tests=True, full_refresh=True).args() == ["build", "--full-refresh"]


def test_the_daily_build_tests_whole_tables(defs):
    from cdp_orchestration.defs.dbt_assets import DbtBuildConfig

    schedule = defs.resolve_schedule_def("daily_full_build")
    (request,) = schedule.evaluate_tick(build_schedule_context()).run_requests
    validate_run_config(defs.resolve_job_def(schedule.job_name), request.run_config)
    config = request.run_config["ops"]["cdp_dbt"]["config"]
    assert DbtBuildConfig(**config).args()[-2:] == ["--vars", '{"data_tests_scope": "all"}']
    assert "--vars" not in DbtBuildConfig().args()  # the sensor's runs: each table's latest batch
