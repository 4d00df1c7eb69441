"""Landing tables: one external asset per dbt source table, the start of the lineage.

The loaders (here, `cdp-generate`) write Parquet parts under `<landing>/<source>/<table>/part-*.parquet`;
Dagster does not produce them, it observes them: the landing sensor records a materialization of a table
when new parts arrive, then starts a build.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dagster import AssetKey, AssetSpec, MetadataValue, TableColumn, TableSchema

from cdp_orchestration.defs.project import cdp_project, current_target
from cdp_orchestration.warehouse import landing_dir

GROUP = "landing"
PART_GLOB = "part-*.parquet"


def landing_key(source: str, table: str) -> AssetKey:
    return AssetKey(["landing", source, table])


def table_folder(source: str, table: str) -> Path:
    return landing_dir(current_target()) / source / table


def landing_specs(manifest: Mapping[str, Any]) -> list[AssetSpec]:
    specs = []
    for source in manifest["sources"].values():
        columns = [
            TableColumn(c["name"], c.get("data_type") or "unknown", description=c.get("description"))
            for c in source.get("columns", {}).values()
        ]
        specs.append(
            AssetSpec(
                key=landing_key(source["source_name"], source["name"]),
                description=source.get("description") or source.get("source_description"),
                group_name=GROUP,
                kinds={"parquet"},
                metadata={
                    "dagster/uri": MetadataValue.path(
                        str(table_folder(source["source_name"], source["name"]) / PART_GLOB)
                    ),
                    "dagster/column_schema": TableSchema(columns=columns),
                    "dbt_source": f"{source['source_name']}.{source['name']}",
                },
            )
        )
    return sorted(specs, key=lambda s: s.key.to_user_string())


landing_assets = landing_specs(json.loads(cdp_project.manifest_path.read_text()))
