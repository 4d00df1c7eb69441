"""Print what a build produced: rows per source and staging model, rejected values, quarantined identifiers.

`make demo` calls it after the build: `python -m cdp_orchestration.summary --target dev`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import duckdb

from cdp_orchestration.warehouse import landing_dir, schema, warehouse_path


def _table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [
        [str(h) for h in headers],
        *[[f"{v:,}" if isinstance(v, int) else str(v) for v in r] for r in rows],
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [title, "  " + "  ".join(h.ljust(w) for h, w in zip(cells[0], widths, strict=True))]
    lines.append("  " + "  ".join("-" * w for w in widths))
    for row in cells[1:]:
        lines.append(
            "  "
            + "  ".join(
                v.rjust(w) if v.replace(",", "").isdigit() else v.ljust(w)
                for v, w in zip(row, widths, strict=True)
            )
        )
    return "\n".join(lines)


def _relations(con: duckdb.DuckDBPyConnection, schema_name: str, prefix: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ? and table_name like ? "
        "order by table_name",
        [schema_name, prefix + "%"],
    ).fetchall()
    return [r[0] for r in rows]


def summarise(target: str) -> str:
    path = warehouse_path(target)
    if not path.exists():
        raise SystemExit(f"No warehouse at {path}: build the project first (make demo).")
    con = duckdb.connect(str(path), read_only=True)
    landing = landing_dir(target)
    sections: list[str] = []

    source_rows = []
    for folder in sorted(p for p in landing.glob("*/*") if p.is_dir()):
        count = con.execute(f"select count(*) from read_parquet('{folder}/*.parquet')").fetchone()
        source_rows.append((folder.parent.name, folder.name, count[0] if count else 0))
    sections.append(_table(f"Landing rows ({landing})", ["source", "table", "rows"], source_rows))

    staging = schema("staging")
    staging_rows = [
        (name, con.execute(f'select count(*) from "{staging}"."{name}"').fetchone()[0])  # type: ignore[index]
        for name in _relations(con, staging, "stg_")
    ]
    sections.append(_table("Staging models", ["model", "rows"], staging_rows))

    intermediate = schema("intermediate")
    if _relations(con, intermediate, "int_staging_rejections"):
        rejections = con.execute(
            f"""select staging_model, column_name, rejection_reason, rejected_values,
                       printf('%.2f%%', 100 * rejection_rate)
                from "{intermediate}".int_staging_rejections
                order by staging_model, column_name, rejected_values desc"""
        ).fetchall()
        sections.append(
            _table(
                "Rejected values (NULLed with a reason)",
                ["model", "column", "reason", "values", "rate"],
                rejections,
            )
        )

    marts = schema("marts")
    if _relations(con, marts, "identity_quarantine"):
        quarantine = con.execute(
            f"""select id_type, quarantine_reason, count(*) as identifiers, sum(records) as records
                from "{marts}".identity_quarantine group by all order by id_type, quarantine_reason"""
        ).fetchall()
        sections.append(
            _table("Quarantined identifiers", ["id type", "reason", "identifiers", "records"], quarantine)
        )
    if _relations(con, intermediate, "int_identity_customer_ids"):
        customers = con.execute(
            f"""select count(distinct customer_id), count(*),
                       (select count(*) from "{intermediate}".int_identity_records)
                from "{intermediate}".int_identity_customer_ids"""
        ).fetchone()
        assert customers is not None
        sections.append(
            _table("Identity", ["customers", "resolved records", "identity records"], [customers])
        )
    return "\n\n".join(sections)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--target", default="dev", help="dbt target whose DuckDB warehouse to read")
    args = parser.parse_args(argv)
    print(summarise(args.target))


if __name__ == "__main__":
    main()
