"""Jobs: the full build (dbt build with its tests, the GX gates, then every sync) and the syncs alone."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from cdp_orchestration.defs.landing import GROUP as LANDING
from cdp_orchestration.defs.quality import gx_checks
from cdp_orchestration.defs.reverse_etl import GROUP as DESTINATIONS

full_build_job = define_asset_job(
    "cdp_full_build",
    selection=AssetSelection.all() - AssetSelection.groups(LANDING),
    description="dbt build (models, seeds, dbt tests as checks), Great Expectations gates, then every sync.",
)

syncs_job = define_asset_job(
    "cdp_syncs",
    selection=AssetSelection.groups(DESTINATIONS) | AssetSelection.checks(*gx_checks),
    description="The GX gates on the current marts, then every sync: sends what changed since the last run.",
)
