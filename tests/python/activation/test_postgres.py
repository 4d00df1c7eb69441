"""PostgreSQL upsert and mirror modes against the local server (skipped when none is reachable)."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from cdp_orchestration.activation import Relation, SyncConfig, run_sync
from cdp_orchestration.activation.destinations import PostgresDestination

from .support import customer_id, customer_row, postgres_dsn

pytestmark = pytest.mark.postgres
DSN = postgres_dsn()
if DSN is None:
    pytest.skip(
        "PostgreSQL is not reachable on 127.0.0.1:5432 (database `test`, user postgres or root, trust auth)",
        allow_module_level=True,
    )
CUSTOMERS = SyncConfig("crm_postgres", Relation("main_marts.audience_customers"))


@pytest.fixture
def pg_schema(monkeypatch):
    monkeypatch.setenv("CDP_POSTGRES_DSN", DSN)
    schema = f"cdp_activation_test_{uuid.uuid4().hex[:8]}"
    yield schema
    with psycopg.connect(DSN, autocommit=True) as conn:
        conn.execute(f'drop schema if exists "{schema}" cascade')


def rows(schema):
    with psycopg.connect(DSN) as conn:
        return dict(
            conn.execute(f'select sync_key, loyalty_tier from "{schema}".customers order by 1').fetchall()
        )


@pytest.mark.parametrize("mode", ["upsert", "mirror"])
def test_modes(warehouse, state, pg_schema, mode):
    table = f"{pg_schema}.customers"
    warehouse.replace("audience_customers", [customer_row(i) for i in range(4)])
    first = run_sync(CUSTOMERS, warehouse.source, PostgresDestination(table, mode=mode, batch_size=3), state)
    assert (first.adds, first.batches) == (4, 2)
    assert rows(pg_schema) == {customer_id(i): "silver" for i in range(4)}
    with psycopg.connect(DSN) as conn:
        columns = dict(
            conn.execute(
                "select column_name, data_type from information_schema.columns where table_schema = %s",
                [pg_schema],
            ).fetchall()
        )
    assert columns["lifetime_revenue"] == "numeric"
    assert columns["last_order_at"] == "timestamp without time zone"
    assert columns["_cdp_synced_at"] == "timestamp with time zone"

    # customer 1 upgraded, customer 2 left the audience, customer 3 asked to be deleted
    warehouse.replace("audience_customers", [customer_row(0), customer_row(1, loyalty_tier="gold")])
    warehouse.replace("customer_deletions", [{"customer_id": customer_id(3), "requested_at": None}])
    second = run_sync(CUSTOMERS, warehouse.source, PostgresDestination(table, mode=mode), state)
    assert (second.updates, second.removes) == (1, 2)
    expected = {customer_id(0): "silver", customer_id(1): "gold"}
    if mode == "upsert":
        expected[customer_id(2)] = "silver"  # upsert mode keeps rows that left the audience
    assert rows(pg_schema) == expected


def test_rows_breaking_a_constraint_are_rejected_and_the_rest_written(warehouse, state, pg_schema):
    table = f"{pg_schema}.customers"
    warehouse.replace("audience_customers", [customer_row(0)])
    run_sync(CUSTOMERS, warehouse.source, PostgresDestination(table), state)
    with psycopg.connect(DSN) as conn:
        conn.execute(
            f'alter table "{pg_schema}".customers'
            " add constraint tier_known check (loyalty_tier <> 'banned')"
        )

    warehouse.replace(
        "audience_customers", [customer_row(0), customer_row(1, loyalty_tier="banned"), customer_row(2)]
    )
    result = run_sync(CUSTOMERS, warehouse.source, PostgresDestination(table), state)
    assert (result.adds, result.rejects) == (1, 1)
    [reject] = state.rejects("crm_postgres")
    assert reject["sync_key"] == customer_id(1)
    assert "tier_known" in reject["reason"]
    assert set(rows(pg_schema)) == {customer_id(0), customer_id(2)}
