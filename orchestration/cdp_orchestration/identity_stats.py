"""What one identity run looks like, as small tables read from the DuckDB warehouse.

Shared by the Dagster metadata of the identity assets (`defs/identity_metadata.py`) and the static HTML report
(`report.py`), so both show the same numbers. Every function takes an open connection and returns plain
rows (lists of dicts); a relation that is not built yet gives an empty list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from cdp_orchestration.warehouse import schema

Rows = list[dict[str, Any]]

# Cluster sizes (records per customer) are bucketed so the histogram stays readable at any scale.
SIZE_BUCKETS: Sequence[tuple[str, int, int | None]] = (
    ("1", 1, 1),
    ("2", 2, 2),
    ("3", 3, 3),
    ("4", 4, 4),
    ("5", 5, 5),
    ("6-10", 6, 10),
    ("11-20", 11, 20),
    ("21-50", 21, 50),
    ("51+", 51, None),
)
CONNECTED_COMPONENTS_MODELS = ("int_identity_components", "int_identity_layered_components")


def _exists(con: duckdb.DuckDBPyConnection, schema_name: str, table: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema_name, table],
    ).fetchall()
    return bool(found[0][0])


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> Rows:
    result = con.execute(sql)
    names = [d[0] for d in result.description or []]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def cluster_sizes(con: duckdb.DuckDBPyConnection) -> Rows:
    """Customers per cluster size (records resolved to one customer id), in SIZE_BUCKETS order."""
    intermediate = schema("intermediate")
    if not _exists(con, intermediate, "int_identity_customer_ids"):
        return []
    cases = " ".join(
        f"when records >= {low}"
        + (f" and records <= {high}" if high is not None else "")
        + f" then '{label}'"
        for label, low, high in SIZE_BUCKETS
    )
    return _rows(
        con,
        f"""
        with sizes as (
            select customer_id, count(*) as records
            from "{intermediate}".int_identity_customer_ids
            group by customer_id
        )
        select case {cases} end as cluster_size, count(*) as customers, sum(records) as records
        from sizes
        group by cluster_size
        order by min(records)
        """,
    )


def source_match_rates(con: duckdb.DuckDBPyConnection) -> Rows:
    """Per source: its records, and the share of them whose customer also has records from another source."""
    intermediate = schema("intermediate")
    if not (
        _exists(con, intermediate, "int_identity_customer_ids")
        and _exists(con, intermediate, "int_identity_records")
    ):
        return []
    return _rows(
        con,
        f"""
        with resolved as (
            select ids.customer_id, records.source
            from "{intermediate}".int_identity_customer_ids as ids
            inner join "{intermediate}".int_identity_records as records
                on ids.record_key = records.record_key
        ),
        customer_sources as (
            select customer_id, count(distinct source) as sources from resolved group by customer_id
        )
        select
            resolved.source,
            count(*) as records,
            count(*) filter (where customer_sources.sources > 1) as matched_records,
            round(avg(case when customer_sources.sources > 1 then 1.0 else 0.0 end), 4) as matched_share
        from resolved
        inner join customer_sources on resolved.customer_id = customer_sources.customer_id
        group by resolved.source
        order by resolved.source
        """,
    )


def quarantine_reasons(con: duckdb.DuckDBPyConnection) -> Rows:
    """Identifiers kept out of the graph, per id type and reason, with the records carrying them."""
    marts = schema("marts")
    if not _exists(con, marts, "identity_quarantine"):
        return []
    return _rows(
        con,
        f"""
        select id_type, quarantine_reason, count(*) as identifiers, sum(records) as records
        from "{marts}".identity_quarantine
        group by all
        order by quarantine_reason, id_type
        """,
    )


def connected_components_rounds(con: duckdb.DuckDBPyConnection) -> Rows:
    """Per connected-components model and round: edges still to resolve, nodes merged, seconds."""
    intermediate = schema("intermediate")
    selects = [
        f"""select '{model}' as model, round, edges_remaining, nodes_merged,
                   cast(seconds as double) as seconds
            from "{intermediate}"."{model}__rounds\""""
        for model in CONNECTED_COMPONENTS_MODELS
        if _exists(con, intermediate, f"{model}__rounds")
    ]
    if not selects:
        return []
    return _rows(con, " union all ".join(selects) + " order by model, round")


def id_changes(con: duckdb.DuckDBPyConnection) -> Rows:
    """Merges and splits of customer ids logged by this run (customer_id_merges rows of the latest build)."""
    marts, intermediate = schema("marts"), schema("intermediate")
    if not (
        _exists(con, marts, "customer_id_merges") and _exists(con, intermediate, "int_identity_id_changes")
    ):
        return []
    return _rows(
        con,
        f"""
        select merges.change_type, merges.cause, count(*) as changes
        from "{marts}".customer_id_merges as merges
        inner join "{intermediate}".int_identity_id_changes as this_run
            on merges.id_change_key = this_run.id_change_key
        group by all
        order by merges.change_type, merges.cause
        """,
    )


def identity_totals(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Headline numbers: identity records, customers, and records per customer."""
    intermediate = schema("intermediate")
    if not _exists(con, intermediate, "int_identity_customer_ids"):
        return {}
    rows = _rows(
        con,
        f"""select count(*) as records, count(distinct customer_id) as customers
            from "{intermediate}".int_identity_customer_ids""",
    )
    return {k: int(v) for k, v in rows[0].items()}


def segment_sizes(con: duckdb.DuckDBPyConnection) -> Rows:
    """Customers per segment at every build (segment_size_history)."""
    marts = schema("marts")
    if not _exists(con, marts, "segment_size_history"):
        return []
    return _rows(
        con,
        f"""select segment, customers, measured_at
            from "{marts}".segment_size_history order by measured_at, segment""",
    )
