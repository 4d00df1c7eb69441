"""The Dagster code location of the CDP (`[tool.dagster] module_name`): it only assembles `defs/`."""

from __future__ import annotations

from dagster import Definitions

from cdp_orchestration.defs.dbt_assets import cdp_dbt_assets
from cdp_orchestration.defs.jobs import full_build_job, syncs_job
from cdp_orchestration.defs.landing import landing_assets
from cdp_orchestration.defs.quality import gx_checks
from cdp_orchestration.defs.resources import build_resources
from cdp_orchestration.defs.reverse_etl import sync_assets
from cdp_orchestration.defs.schedules import daily_full_build
from cdp_orchestration.defs.sensors import landing_files_sensor

defs = Definitions(
    assets=[*landing_assets, cdp_dbt_assets, *sync_assets],
    asset_checks=gx_checks,
    jobs=[full_build_job, syncs_job],
    schedules=[daily_full_build],
    sensors=[landing_files_sensor],
    resources=build_resources(),
)
