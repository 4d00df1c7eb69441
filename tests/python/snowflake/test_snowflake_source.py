"""The syncs and gates reading Snowflake: `SnowflakeSource` against a fakesnow server (the real connector
over HTTP, so `fetch_arrow_batches` decodes Arrow chunks as it does from Snowflake), then a file export sync
and the gates of its audience materialized with `build_resources("snowflake")`, as the code location runs
them on CDP_TARGET=snowflake."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from cdp_orchestration.activation import Relation, SqlQuery
from cdp_orchestration.activation.source import SnowflakeSource, read_table
from snowflake_emulation import EMULATION_ENV

pytestmark = pytest.mark.snowflake

MARTS = """
create schema analytics_marts;
create table analytics_marts.audience_customers (
    sync_key varchar, customer_id varchar, email varchar, phone_e164 varchar, first_name varchar,
    lifetime_revenue number(18, 2), order_count number(38, 0), last_order_at timestamp_ntz
);
insert into analytics_marts.audience_customers
    select 'cus_' || seq4(), 'cus_' || seq4(), 'person' || seq4() || '@example.com', '+4477009000' || seq4(),
           'First' || seq4(), 100.25 + seq4(), seq4(), '2025-01-01 10:00:00'
    from table(generator(rowcount => 4));
create table analytics_marts.customer_deletions (customer_id varchar, requested_at timestamp_ntz);
insert into analytics_marts.customer_deletions values ('cus_9', '2025-02-01 00:00:00');
create table analytics_marts.customer_consent (
    customer_id varchar, channel varchar, consent_status varchar, decided_at timestamp_ntz
);
"""


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, Any]]:
    """fakesnow's server in a thread; its in-memory databases live as long as the process."""
    fakesnow = pytest.importorskip("fakesnow")
    with fakesnow.server() as connection_kwargs:
        yield connection_kwargs


@pytest.fixture
def snowflake_env(server: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """The SNOWFLAKE_* variables of profiles.yml naming a fresh database, and connections routed to the
    server (the address is all the environment cannot say); returns the database."""
    import snowflake.connector

    database = f"CDP_{uuid.uuid4().hex[:8].upper()}"
    for name, value in {**EMULATION_ENV, "SNOWFLAKE_DATABASE": database}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CDP_DATA_DIR", str(tmp_path))
    connect = snowflake.connector.connect

    def to_server(**parameters: Any) -> Any:
        session = {**parameters.pop("session_parameters", {}), **server["session_parameters"]}
        address = {k: server[k] for k in ("host", "port", "protocol", "network_timeout")}
        return connect(**parameters, **address, session_parameters=session)

    monkeypatch.setattr(snowflake.connector, "connect", to_server)
    with snowflake.connector.connect(database=database, account="fakesnow", user="u", password="p") as con:
        for statement in MARTS.split(";"):
            if statement.strip():
                con.cursor().execute(statement)
    return database


def test_batches_lower_case_columns_and_duckdb_types(snowflake_env: str) -> None:
    source = SnowflakeSource.from_env()
    batches = list(source.batches(Relation("analytics_marts.audience_customers")))
    table = pa.Table.from_batches(batches)
    assert table.schema.names == [
        "sync_key",
        "customer_id",
        "email",
        "phone_e164",
        "first_name",
        "lifetime_revenue",
        "order_count",
        "last_order_at",
    ]
    assert table.schema.field("lifetime_revenue").type == pa.decimal128(18, 2)
    assert table.schema.field("order_count").type == pa.int64()
    assert table.schema.field("last_order_at").type == pa.timestamp("us")
    assert table.num_rows == 4
    assert sorted(table.column("lifetime_revenue").to_pylist()) == [Decimal("100.25") + i for i in range(4)]
    # Quoted parts are taken as written, bare ones upper-cased; SQL texts run as they are.
    quoted = read_table(source, Relation('"ANALYTICS_MARTS".audience_customers'))
    assert quoted.num_rows == 4
    counted = read_table(source, SqlQuery("select count(*) as n from analytics_marts.audience_customers"))
    assert counted.column_names == ["n"]
    assert counted.column("n").to_pylist() == [4]


def test_an_empty_result_keeps_its_schema(snowflake_env: str) -> None:
    source = SnowflakeSource.from_env()
    (batch,) = source.batches(SqlQuery("select * from analytics_marts.audience_customers where false"))
    assert batch.num_rows == 0
    assert batch.schema.names[:2] == ["sync_key", "customer_id"]
    assert batch.schema.field("lifetime_revenue").type == pa.decimal128(18, 2)
    assert batch.schema.field("last_order_at").type == pa.timestamp("us")
    assert read_table(source, Relation("analytics_marts.customer_consent")).num_rows == 0


def test_file_export_and_gates_read_snowflake(snowflake_env: str, tmp_path: Path) -> None:
    from cdp_orchestration.defs.quality import gx_checks
    from cdp_orchestration.defs.resources import build_resources
    from cdp_orchestration.defs.reverse_etl import SYNCS, sync_asset
    from dagster import AssetSelection, DagsterInstance, materialize

    resources = build_resources("snowflake")
    assert isinstance(resources["warehouse"].source(), SnowflakeSource)
    (spec,) = [s for s in SYNCS if s.name == "customer_file_export_parquet"]
    (gate,) = [c for c in gx_checks if c.node_def.name == "gx_audience_customers"]
    export = sync_asset(spec)
    instance = DagsterInstance.ephemeral()

    def run() -> dict[str, Any]:
        result = materialize(
            [export, gate],
            selection=AssetSelection.assets(export) | AssetSelection.checks(gate),
            resources=resources,
            instance=instance,
        )
        checks = [
            e.asset_check_evaluation_data
            for e in result.all_events
            if e.event_type_value == "ASSET_CHECK_EVALUATION"
        ]
        assert checks and all(c.passed for c in checks)
        (materialization,) = result.get_asset_materialization_events()
        return {k: v.value for k, v in materialization.materialization.metadata.items()}

    first = run()
    assert (first["adds"], first["updates"], first["removes"]) == (4, 0, 0)
    (manifest_path,) = (tmp_path / "snowflake" / "exports" / spec.name).glob("*/manifest.json")
    manifest = json.loads(manifest_path.read_text())
    (upserts,) = manifest["files"]
    rows = pq.read_table(manifest_path.parent / upserts["path"]).to_pylist()
    assert sorted(r["customer_id"] for r in rows) == ["cus_0", "cus_1", "cus_2", "cus_3"]
    assert rows[0]["email"].endswith("@example.com")
    assert (tmp_path / "snowflake" / "sync_state" / f"{spec.name}.duckdb").exists()

    second = run()
    assert (second["adds"], second["updates"], second["removes"]) == (0, 0, 0)
    assert len(list((tmp_path / "snowflake" / "exports" / spec.name).glob("*/manifest.json"))) == 1
