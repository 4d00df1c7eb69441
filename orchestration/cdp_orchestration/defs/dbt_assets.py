"""The dbt project as assets: every model and seed an asset, every dbt test an asset check.

Groups follow the dbt layers: `staging`, then `intermediate_<folder>` and `marts_<folder>` (identity,
customers, segments, activation, ...), `reference` for seeds. dbt sources are the landing tables
(`landing/<source>/<table>`, see landing.py), so the lineage runs landing -> staging -> ... -> activation ->
destinations (reverse_etl.py).

`dbt build` runs in one step. Events of the identity map are held back until dbt has finished (DuckDB lets
no one read while dbt writes) and then carry the pictures of the identity run (identity_metadata.py).
"""

import json
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from dagster import AssetExecutionContext, AssetKey, Config, Output
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets
from pydantic import Field

from cdp_orchestration.defs.identity_metadata import identity_run_metadata
from cdp_orchestration.defs.landing import landing_key
from cdp_orchestration.defs.project import cdp_project
from cdp_orchestration.defs.resources import DUCKDB_TARGETS, Warehouse

IDENTITY_MAP = AssetKey(["marts", "customer_identifiers"])


class CdpTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return landing_key(dbt_resource_props["source_name"], dbt_resource_props["name"])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        # fqn: [project, layer, folder, ..., name]
        fqn = dbt_resource_props["fqn"]
        layer = fqn[1]
        if layer == "staging" or len(fqn) < 4:
            return layer
        return f"{layer}_{fqn[2]}"


translator = CdpTranslator(settings=DagsterDbtTranslatorSettings(enable_code_references=True))


class DbtBuildConfig(Config):
    full_refresh: bool = Field(default=False, description="Rebuild incremental models from scratch.")
    unit_tests: bool = Field(
        default=False,
        description=(
            "Also run the dbt unit tests. They check model logic on fixed inputs, which changes only with"
            " the code, so CI runs them (`make test`) and scheduled builds leave them out, as dbt recommends"
            " for production."
        ),
    )
    exclude: str | None = Field(
        default=None, description="dbt selection left out of this build, e.g. `path:models/marts/segments`."
    )
    data_tests_scope: Literal["latest_batch", "all"] = Field(
        default="latest_batch",
        description=(
            "What the key tests of the large incremental tables check: the rows of each table's latest batch"
            " (what this run wrote; a collision with an older row is still found), or whole tables. The daily"
            " build checks whole tables (macros/tests/get_where_subquery.sql)."
        ),
    )

    def args(self) -> list[str]:
        return [
            "build",
            *(["--full-refresh"] if self.full_refresh else []),
            *([] if self.unit_tests else ["--exclude-resource-type", "unit_test"]),
            *(["--exclude", self.exclude] if self.exclude else []),
            *(["--vars", json.dumps({"data_tests_scope": "all"})] if self.data_tests_scope == "all" else []),
        ]


def _asset_key(context: AssetExecutionContext, event: object) -> AssetKey | None:
    if isinstance(event, Output):
        return context.asset_key_for_output(event.output_name)
    return getattr(event, "asset_key", None)


@dbt_assets(
    manifest=cdp_project.manifest_path,
    project=cdp_project,
    dagster_dbt_translator=translator,
    name="cdp_dbt",
    # One dbt build at a time: DuckDB has one writer (the instance's pools admit one op each).
    pool="dbt_build",
)
def cdp_dbt_assets(
    context: AssetExecutionContext, config: DbtBuildConfig, dbt: DbtCliResource, warehouse: Warehouse
) -> Iterator[Any]:
    invocation = dbt.cli(config.args(), context=context, raise_on_error=False)
    held = []
    for event in invocation.stream():
        if _asset_key(context, event) == IDENTITY_MAP:
            held.append(event)
        else:
            yield event
    if held:
        pictures = {}
        if warehouse.target in DUCKDB_TARGETS:
            with warehouse.connect() as con:
                pictures = identity_run_metadata(con)
        else:  # the pictures' queries are DuckDB SQL; the identity map itself is built on every engine
            context.log.info(f"identity pictures: DuckDB targets only, not {warehouse.target!r}")
        for event in held:
            yield event.with_metadata({**event.metadata, **pictures}) if isinstance(event, Output) else event
    if not invocation.is_successful():
        raise invocation.get_error() or RuntimeError("dbt build failed")
