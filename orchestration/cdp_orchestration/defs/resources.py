"""Resources, chosen by environment: the dbt CLI on `CDP_TARGET`, read access to its warehouse (the DuckDB
file, or Snowflake with the SNOWFLAKE_* variables of profiles.yml), the sync state store, where each
destination is, and the Great Expectations folders.

Configuration comes from environment variables (secrets only from there: the destinations read
CDP_KLAVIYO_API_KEY, CDP_META_ACCESS_TOKEN, CDP_WEBHOOK_SECRET and CDP_POSTGRES_DSN themselves):

| variable | default | what |
| --- | --- | --- |
| CDP_TARGET | dev | dbt target: dev, ci (DuckDB files), snowflake, spark |
| CDP_KLAVIYO_BASE_URL | the local fake (http://127.0.0.1:8787) | ESP API |
| CDP_KLAVIYO_LIST_IDS | each list_key is its own list id | JSON {list_key: Klaviyo list id} |
| CDP_META_BASE_URL | the local fake | ad-platform API |
| CDP_META_AUDIENCE_IDS | each audience_key is its own id | JSON {audience_key: custom audience id} |
| CDP_WEBHOOK_URL | the local fake's /webhook | signed webhook receiver |
| CDP_POSTGRES_TABLE | cdp.customers | table of the Postgres sync (which exists only with CDP_POSTGRES_DSN) |
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource

from cdp_orchestration.activation import DuckDBSource, DuckDBStateStore, Relation
from cdp_orchestration.activation.source import SnowflakeSource, Source
from cdp_orchestration.defs.project import DUCKDB_TARGETS, cdp_project, current_target
from cdp_orchestration.warehouse import schema, target_dir, warehouse_path

LOCAL_FAKE_URL = "http://127.0.0.1:8787"


class Warehouse(ConfigurableResource):
    """Read access to the warehouse dbt builds, through a `Source` (what the syncs and the gates read).
    DuckDB: connections are read-only and opened per use, so dbt (which needs the write lock) can run
    between reads. Snowflake: one connection per query, settings from the environment."""

    target: str
    duckdb_path: str
    # The dbt target's schema, which prefixes the layers' schemas (`main`, or $SNOWFLAKE_SCHEMA).
    target_schema: str = "main"

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection to the DuckDB file (DuckDB targets only)."""
        if self.target not in DUCKDB_TARGETS:
            raise NotImplementedError(f"target {self.target!r} has no DuckDB file to connect to")
        with duckdb.connect(self.duckdb_path, read_only=True) as con:
            yield con

    def source(self) -> Source:
        if self.target == "snowflake":
            return SnowflakeSource.from_env()
        if self.target not in DUCKDB_TARGETS:
            raise NotImplementedError(
                f"Dagster reads the warehouse of DuckDB targets and Snowflake; target {self.target!r} "
                "needs a Source for its engine (see activation/source.py)"
            )
        return DuckDBSource(self.duckdb_path)

    @property
    def marts_schema(self) -> str:
        """The schema dbt gives the marts layer, bare (`ANALYTICS_marts` is ANALYTICS_MARTS on Snowflake)."""
        return schema("marts", self.target_schema)

    def relation(self, model: str) -> Relation:
        """A mart."""
        return Relation(f"{self.marts_schema}.{model}")


class SyncStateStore(ConfigurableResource):
    """Where each sync keeps what its destination last acknowledged: one DuckDB file per sync, so syncs
    running in parallel processes never wait for each other's file lock. On every target (Snowflake too)
    the files are local to the code location, under data/<target>/sync_state/."""

    directory: str

    def for_sync(self, sync_id: str) -> DuckDBStateStore:
        Path(self.directory).mkdir(parents=True, exist_ok=True)
        return DuckDBStateStore(Path(self.directory) / f"{sync_id}.duckdb")


class Destinations(ConfigurableResource):
    """Where the syncs send. No secret here: each destination reads its own from the environment."""

    klaviyo_base_url: str
    klaviyo_list_ids: dict[str, str]
    meta_base_url: str
    meta_audience_ids: dict[str, str]
    webhook_url: str
    export_dir: str
    postgres_table: str
    # A real Klaviyo is called at its documented steady rates; a local fake needs no pacing.
    klaviyo_rate_limited: bool


class GreatExpectations(ConfigurableResource):
    """Folders of the GX stores (validation results of every run) and of the Data Docs site."""

    root_dir: str
    docs_dir: str


def _is_local(url: str) -> bool:
    return url.startswith(("http://127.0.0.1", "http://localhost"))


def _json_env(name: str) -> dict[str, str]:
    value = os.environ.get(name)
    return {str(k): str(v) for k, v in json.loads(value).items()} if value else {}


def _target_schema(target: str) -> str:
    """The `schema` of the target in profiles.yml."""
    return os.environ.get("SNOWFLAKE_SCHEMA", "ANALYTICS") if target == "snowflake" else "main"


def build_resources(target: str | None = None) -> dict[str, Any]:
    target = target or current_target()
    data = target_dir(target)
    klaviyo_url = os.environ.get("CDP_KLAVIYO_BASE_URL", LOCAL_FAKE_URL)
    return {
        "dbt": DbtCliResource(project_dir=cdp_project, target=target),
        "warehouse": Warehouse(
            target=target, duckdb_path=str(warehouse_path(target)), target_schema=_target_schema(target)
        ),
        "sync_state": SyncStateStore(directory=str(data / "sync_state")),
        "destinations": Destinations(
            klaviyo_base_url=klaviyo_url,
            klaviyo_list_ids=_json_env("CDP_KLAVIYO_LIST_IDS"),
            meta_base_url=os.environ.get("CDP_META_BASE_URL", LOCAL_FAKE_URL),
            meta_audience_ids=_json_env("CDP_META_AUDIENCE_IDS"),
            webhook_url=os.environ.get("CDP_WEBHOOK_URL", f"{LOCAL_FAKE_URL}/webhook"),
            export_dir=str(data / "exports"),
            postgres_table=os.environ.get("CDP_POSTGRES_TABLE", "cdp.customers"),
            klaviyo_rate_limited=not _is_local(klaviyo_url),
        ),
        "great_expectations": GreatExpectations(root_dir=str(data / "gx"), docs_dir=str(data / "gx_docs")),
    }
