"""`python -m cdp_orchestration.report --target dev` (`make report`): a static HTML page of the identity run
and the segments, as one Vega-Lite document (altair) with its data embedded.

Charts: cluster sizes, share of each source's records matched to another source, quarantined identifiers by
reason, connected-components rounds, customer id merges and splits of the latest run (the same numbers as
the Dagster metadata of `customer_identifiers`), and segment sizes at every build. The page loads Vega from
its CDN to draw; the data itself is in the file.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import altair as alt
import duckdb

from cdp_orchestration import identity_stats
from cdp_orchestration.identity_stats import SIZE_BUCKETS, Rows
from cdp_orchestration.warehouse import target_dir, warehouse_path

WIDTH = 520


def _values(rows: Rows) -> list[dict[str, Any]]:
    """JSON-ready rows: decimals as floats, timestamps as ISO text."""

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, datetime):
            return value.isoformat()
        return value

    return [{k: plain(v) for k, v in row.items()} for row in rows]


def _chart(rows: Rows, title: str) -> alt.Chart:
    return alt.Chart(alt.Data(values=_values(rows)), title=title, width=WIDTH, height=220)


def identity_charts(con: duckdb.DuckDBPyConnection) -> list[alt.Chart]:
    sizes = _chart(identity_stats.cluster_sizes(con), "Customers by cluster size (records per customer)")
    matches = _chart(
        identity_stats.source_match_rates(con), "Share of each source's records matched to another"
    )
    quarantine = _chart(identity_stats.quarantine_reasons(con), "Quarantined identifiers by reason")
    rounds = _chart(
        identity_stats.connected_components_rounds(con), "Connected components: edges left per round"
    )
    changes = _chart(identity_stats.id_changes(con), "Customer id merges and splits (latest run)")
    return [
        sizes.mark_bar().encode(
            x=alt.X(
                "cluster_size:N", sort=[label for label, _, _ in SIZE_BUCKETS], title="records per customer"
            ),
            y=alt.Y("customers:Q"),
            tooltip=["cluster_size:N", "customers:Q", "records:Q"],
        ),
        matches.mark_bar().encode(
            x=alt.X("source:N"),
            y=alt.Y("matched_share:Q", axis=alt.Axis(format="%"), title="matched share"),
            tooltip=[
                "source:N",
                "records:Q",
                "matched_records:Q",
                alt.Tooltip("matched_share:Q", format=".1%"),
            ],
        ),
        quarantine.mark_bar().encode(
            x=alt.X("quarantine_reason:N", title="reason"),
            y=alt.Y("identifiers:Q"),
            color=alt.Color("id_type:N"),
            tooltip=["quarantine_reason:N", "id_type:N", "identifiers:Q", "records:Q"],
        ),
        rounds.mark_line(point=True).encode(
            x=alt.X("round:O"),
            y=alt.Y("edges_remaining:Q", title="edges remaining"),
            color=alt.Color("model:N"),
            tooltip=["model:N", "round:O", "edges_remaining:Q", "nodes_merged:Q", "seconds:Q"],
        ),
        changes.mark_bar().encode(
            x=alt.X("cause:N"),
            y=alt.Y("changes:Q"),
            color=alt.Color("change_type:N"),
            tooltip=["change_type:N", "cause:N", "changes:Q"],
        ),
    ]


def segment_chart(con: duckdb.DuckDBPyConnection) -> alt.Chart:
    return (
        _chart(identity_stats.segment_sizes(con), "Segment sizes over time")
        .mark_line(point=True)
        .encode(
            x=alt.X("measured_at:T", title="build"),
            y=alt.Y("customers:Q"),
            color=alt.Color("segment:N"),
            tooltip=["segment:N", "customers:Q", "measured_at:T"],
        )
    )


def build_report(target: str) -> alt.VConcatChart:
    path = warehouse_path(target)
    if not path.exists():
        raise SystemExit(f"No warehouse at {path}: build the project first (make demo).")
    with duckdb.connect(str(path), read_only=True) as con:
        totals = identity_stats.identity_totals(con)
        charts: Sequence[alt.Chart] = [*identity_charts(con), segment_chart(con)]
    subtitle = (
        f"{totals.get('records', 0):,} identity records resolved to {totals.get('customers', 0):,} customers"
        f" - target {target} - {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    return alt.vconcat(*charts).properties(
        title=alt.Title("CDP identity and segments report", subtitle=subtitle, anchor="start")
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", default="dev", help="dbt target whose DuckDB warehouse to read")
    parser.add_argument("--out", type=Path, help="HTML file (default: data/<target>/report.html)")
    args = parser.parse_args(argv)
    out = args.out or target_dir(args.target) / "report.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    build_report(args.target).save(str(out), format="html")
    print(f"report written to {out}")


if __name__ == "__main__":
    main()
