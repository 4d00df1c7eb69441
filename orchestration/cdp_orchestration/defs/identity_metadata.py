"""The pictures of an identity run, as Dagster metadata of the identity map asset (`customer_identifiers`).

Tables and a markdown histogram for the asset page, plus plain numbers that the UI plots run after run.
The numbers come from `identity_stats`, which the static report (`make report`) charts too.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import duckdb
from dagster import MetadataValue, TableColumn, TableRecord, TableSchema

from cdp_orchestration import identity_stats
from cdp_orchestration.identity_stats import Rows

BAR_WIDTH = 40


def _plain(value: Any) -> str | int | float | bool | None:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def table(rows: Rows) -> MetadataValue:
    """Rows of plain values as a Dagster table (column types from the first row)."""
    if not rows:
        return MetadataValue.md("_none in this run_")
    kinds = {bool: "bool", int: "int", float: "float"}
    first = {k: _plain(v) for k, v in rows[0].items()}
    schema = TableSchema(columns=[TableColumn(k, kinds.get(type(v), "string")) for k, v in first.items()])
    return MetadataValue.table(
        records=[TableRecord({k: _plain(v) for k, v in row.items()}) for row in rows], schema=schema
    )


def histogram(rows: Rows, label: str, count: str) -> MetadataValue:
    """A markdown bar chart: one line per row, bars scaled to the largest count."""
    if not rows:
        return MetadataValue.md("_no data_")
    top = max(int(r[count]) for r in rows) or 1
    lines = [f"| {label} | {count} | |", "| ---: | ---: | :--- |"]
    for row in rows:
        bar = "█" * max(1, round(BAR_WIDTH * int(row[count]) / top)) if row[count] else ""
        lines.append(f"| {row[label]} | {int(row[count]):,} | {bar} |")
    return MetadataValue.md("\n".join(lines))


def _total(rows: Rows, column: str, where: Mapping[str, str] | None = None) -> int:
    return sum(int(r[column]) for r in rows if all(r.get(k) == v for k, v in (where or {}).items()))


def identity_run_metadata(con: duckdb.DuckDBPyConnection) -> dict[str, MetadataValue]:
    sizes = identity_stats.cluster_sizes(con)
    matches = identity_stats.source_match_rates(con)
    quarantine = identity_stats.quarantine_reasons(con)
    rounds = identity_stats.connected_components_rounds(con)
    changes = identity_stats.id_changes(con)
    totals = identity_stats.identity_totals(con)
    return {
        "identity/customers": MetadataValue.int(totals.get("customers", 0)),
        "identity/records": MetadataValue.int(totals.get("records", 0)),
        "identity/multi_record_customers": MetadataValue.int(
            sum(int(r["customers"]) for r in sizes if r["cluster_size"] != "1")
        ),
        "identity/quarantined_identifiers": MetadataValue.int(_total(quarantine, "identifiers")),
        "identity/merges": MetadataValue.int(_total(changes, "changes", {"change_type": "merge"})),
        "identity/splits": MetadataValue.int(_total(changes, "changes", {"change_type": "split"})),
        "identity/cc_rounds": MetadataValue.int(
            max((int(r["round"]) for r in rounds if r["model"] == "int_identity_components"), default=0)
        ),
        "identity/cluster_size_histogram": histogram(sizes, "cluster_size", "customers"),
        "identity/source_match_rates": table(matches),
        "identity/quarantine_by_reason": table(quarantine),
        "identity/connected_components_rounds": table(rounds),
        "identity/id_changes": table(changes),
    }
