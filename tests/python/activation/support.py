"""Builders for the activation tests: mart rows, a scratch warehouse, a recording sleep, the Postgres DSN."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from cdp_orchestration.activation import DuckDBSource
from cdp_orchestration.activation.hashing import (
    normalize_email,
    normalize_name,
    normalize_phone,
    normalize_zip,
    sha256_hex,
)

KLAVIYO_KEY = "pk_test_activation"
META_TOKEN = "meta_test_activation"
WEBHOOK_SECRET = "whsec_test_activation"

SCHEMAS = {
    "audience_email": pa.schema(
        [
            ("sync_key", pa.string()),
            ("customer_id", pa.string()),
            ("list_key", pa.string()),
            ("email", pa.string()),
            ("phone_e164", pa.string()),
            ("first_name", pa.string()),
            ("last_name", pa.string()),
            ("country_code", pa.string()),
            ("lifetime_revenue", pa.decimal128(18, 2)),
            ("loyalty_tier", pa.string()),
        ]
    ),
    "audience_ads": pa.schema(
        [
            ("sync_key", pa.string()),
            ("customer_id", pa.string()),
            ("audience_key", pa.string()),
            ("email_sha256", pa.string()),
            ("phone_sha256", pa.string()),
            ("first_name_sha256", pa.string()),
            ("last_name_sha256", pa.string()),
            ("country_code", pa.string()),
            ("postal_code_sha256", pa.string()),
        ]
    ),
    "audience_customers": pa.schema(
        [
            ("sync_key", pa.string()),
            ("customer_id", pa.string()),
            ("email", pa.string()),
            ("first_name", pa.string()),
            ("country_code", pa.string()),
            ("lifetime_revenue", pa.decimal128(18, 2)),
            ("loyalty_tier", pa.string()),
            ("last_order_at", pa.timestamp("us")),
        ]
    ),
    "customer_consent": pa.schema(
        [
            ("customer_id", pa.string()),
            ("channel", pa.string()),
            ("consent_status", pa.string()),
            ("decided_at", pa.timestamp("us")),
            ("source", pa.string()),
        ]
    ),
    "customer_deletions": pa.schema([("customer_id", pa.string()), ("requested_at", pa.timestamp("us"))]),
}


def customer_id(i: int) -> str:
    return f"cus_{i:04d}"


def email_row(i: int, list_key: str = "newsletter", **overrides: Any) -> dict[str, Any]:
    row = {
        "sync_key": f"{customer_id(i)}:{list_key}",
        "customer_id": customer_id(i),
        "list_key": list_key,
        "email": f"person{i}@example.com",
        "phone_e164": f"+4477009{i:05d}",
        "first_name": f"First{i}",
        "last_name": f"Last{i}",
        "country_code": "GB",
        "lifetime_revenue": Decimal(f"{100 + i}.50"),
        "loyalty_tier": "silver",
    }
    return row | overrides


def ads_row(i: int, audience_key: str = "lookalike_seed", **overrides: Any) -> dict[str, Any]:
    base = email_row(i)
    row = {
        "sync_key": f"{customer_id(i)}:{audience_key}",
        "customer_id": customer_id(i),
        "audience_key": audience_key,
        "email_sha256": sha256_hex(normalize_email(base["email"])),
        "phone_sha256": sha256_hex(normalize_phone(base["phone_e164"])),
        "first_name_sha256": sha256_hex(normalize_name(base["first_name"])),
        "last_name_sha256": sha256_hex(normalize_name(base["last_name"])),
        "country_code": "GB",
        "postal_code_sha256": sha256_hex(normalize_zip("SW1A 1AA")),
    }
    return row | overrides


def customer_row(i: int, **overrides: Any) -> dict[str, Any]:
    row = {
        "sync_key": customer_id(i),
        "customer_id": customer_id(i),
        "email": f"person{i}@example.com",
        "first_name": f"First{i}",
        "country_code": "GB",
        "lifetime_revenue": Decimal(f"{100 + i}.50"),
        "loyalty_tier": "silver",
        "last_order_at": datetime(2025, 1, 1 + i % 27, 12, 0),
    }
    return row | overrides


def consent_row(i: int, channel: str, status: str = "granted", day: int = 1) -> dict[str, Any]:
    return {
        "customer_id": customer_id(i),
        "channel": channel,
        "consent_status": status,
        "decided_at": datetime(2025, 1, day),
        "source": "esp",
    }


@dataclass
class Warehouse:
    """A scratch DuckDB warehouse holding the marts the syncs read (`main_marts` schema)."""

    path: Path
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def replace(self, table: str, rows: list[dict[str, Any]]) -> None:
        self.replace_many({table: rows})

    def replace_many(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        self.tables.update(tables)
        with duckdb.connect(str(self.path)) as con:
            con.execute("create schema if not exists main_marts")
            for table, rows in tables.items():
                con.register("incoming", pa.Table.from_pylist(rows, schema=SCHEMAS[table]))
                con.execute(f"create or replace table main_marts.{table} as select * from incoming")
                con.unregister("incoming")

    @property
    def source(self) -> DuckDBSource:
        return DuckDBSource(self.path)


class RecordingSleep:
    """Stands in for time.sleep: records each wait and returns at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def postgres_dsn() -> str | None:
    """The local server's DSN, or None when nothing listens on 127.0.0.1:5432."""
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
    except OSError:
        return None
    import psycopg

    for user in ("postgres", "root"):
        dsn = f"host=127.0.0.1 port=5432 dbname=test user={user}"
        try:
            with psycopg.connect(dsn, connect_timeout=3):
                return dsn
        except psycopg.OperationalError:
            continue
    return None
