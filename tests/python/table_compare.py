"""Compare two builds of the project table by table: the same rows, whatever engine or run made them.

Used by the engine checks (Spark, the Snowflake emulation, each against DuckDB) and by the check that an
incremental run equals a full rebuild. Columns that hold the time of the run (run_started_at) or its
duration are left out, as is every connected-components model's <model>__rounds table's `seconds`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

DUCKDB_LAYERS = ("main_staging", "main_intermediate", "main_marts", "main_reference")
# The models that recompute only the customers whose records changed (README "Incremental runs").
CUSTOMER_LEVEL_MODELS = (
    "int_customer_attribute_candidates",
    "int_customer_attribute_winners",
    "int_customer_footprints",
    "customer_identifiers",
    "customer_consent",
)
RUN_TIME_COLUMNS = {
    "int_identity_customer_ids": {"customer_id_minted_at", "first_assigned_at", "assigned_at", "resolved_at"},
    "int_identity_id_changes": {"changed_at"},
    "customer_id_merges": {"changed_at"},
    "segment_size_history": {"segment_size_id", "measured_at"},
    "int_customer_changes": {"changed_at"},
    "int_customer_record_states": {"changed_at"},
    "int_identity_linking_identifiers": {"linked_at"},
    "int_identity_linking_identifiers__removals": {"removed_at"},
    "int_identity_nodes": {"classified_at"},
    "int_identity_clusters": {"clustered_at"},
    "int_identity_record_clusters": {"clustered_at"},
    "int_identity_record_anchors": {"anchored_at"},
    "int_identity_records": {"built_at"},
    "int_identity_identifiers": {"built_at"},
    "int_identity_identifiers__removals": {"removed_at"},
    "int_identity_identifier_names": {"named_at"},
    "fct_events": {"_written_at"},
    "fct_orders": {"_written_at"},
    "fct_order_lines": {"_written_at"},
    **{customer_level: {"refreshed_at"} for customer_level in CUSTOMER_LEVEL_MODELS},
}
# Columns each engine computes its own way (cdp.set_fingerprint): compared within one engine, never across.
ENGINE_SPECIFIC_COLUMNS = {
    "int_customer_changes": {"fingerprint"},
    "int_customer_record_states": {"fingerprint"},
    "int_customer_attribute_winners": {"rules_version"},
    "int_identity_nodes": {"records_fingerprint", "rules_version"},
    "int_identity_identifier_names": {"rules_version"},
    "int_identity_clusters": {"rules_version"},
}

Rows = Counter[tuple[Any, ...]]


def run_time_columns(table: str) -> set[str]:
    return {"seconds"} if table.endswith("__rounds") else RUN_TIME_COLUMNS.get(table, set())


def normalise(value: Any) -> Any:
    """One spelling per value across engines (decimals, float rounding, aware timestamps)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else round(float(value), 6)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


@dataclass
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def comparable(
        self, name: str, ignore: set[str] | None = None, value: Callable[[Any], Any] = normalise
    ) -> Rows:
        """The rows as a multiset, without the run-time columns (and `ignore`), each value by `value`."""
        skip = run_time_columns(name) | (ignore or set())
        keep = [i for i, c in enumerate(self.columns) if c not in skip]
        return Counter(tuple(value(row[i]) for i in keep) for row in self.rows)

    def kept_columns(self, name: str, ignore: set[str] | None = None) -> tuple[str, ...]:
        skip = run_time_columns(name) | (ignore or set())
        return tuple(c for c in self.columns if c not in skip)


def duckdb_tables(path: Path) -> dict[str, Table]:
    """Every base table of the model layers of a DuckDB warehouse, by lower-case name."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = con.execute(
            "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE'"
        ).fetchall()
        tables = {}
        for schema, name in names:
            if schema in DUCKDB_LAYERS:
                cursor = con.execute(f'select * from "{schema}"."{name}"')
                columns = tuple(d[0].lower() for d in cursor.description)
                tables[name.lower()] = Table(columns, cursor.fetchall())
        return tables


def differences(
    left: Mapping[str, Rows], right: Mapping[str, Rows], left_label: str, right_label: str
) -> dict[str, str]:
    """Per table whose rows differ, how many rows only one side has, with two examples of each."""
    different = {}
    for name in sorted(left):
        if left[name] != right[name]:
            only_left, only_right = left[name] - right[name], right[name] - left[name]
            different[name] = (
                f"{sum(only_left.values())} rows only {left_label}, e.g. {list(only_left)[:2]}; "
                f"{sum(only_right.values())} only {right_label}, e.g. {list(only_right)[:2]}"
            )
    return different


def report(different: Mapping[str, str]) -> str:
    return "\n".join(f"{name}: {detail}" for name, detail in different.items())
