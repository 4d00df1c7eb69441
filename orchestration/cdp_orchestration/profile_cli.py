"""Print one unified customer profile with every source record behind it.

    cdp-profile --email john.doe@gmail.com          (or: make profile EMAIL=john.doe@gmail.com)
    cdp-profile --phone "+1 (555) 123-4567" --target ci
    cdp-profile --customer-id cus_0000000042

The lookup goes through the identity map (customer_identifiers), so any spelling of an email that
normalises to the same match key, or any format of a phone, finds the customer.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence

import duckdb

from cdp_orchestration.warehouse import schema, warehouse_path

MARTS = schema("marts")
INTERMEDIATE = schema("intermediate")


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def find_customers(con: duckdb.DuckDBPyConnection, *, email: str | None, phone: str | None,
                   customer_id: str | None) -> list[str]:  # fmt: skip
    if customer_id:
        rows = con.execute(
            f"select customer_id from {MARTS}.dim_customers where customer_id = ?", [customer_id]
        ).fetchall()
    elif email:
        rows = con.execute(
            f"""select distinct customer_id from {MARTS}.customer_identifiers
                where id_type = 'email'
                  and (lower(id_value) = lower(trim(?)) or match_key = lower(trim(?)))""",
            [email, email],
        ).fetchall()
    elif phone:
        # Any layout of the number: compare the trailing national digits against the E.164 value.
        digits = _digits(phone)
        rows = con.execute(
            f"""select distinct customer_id from {MARTS}.customer_identifiers
                where id_type = 'phone' and (id_value = ? or id_value like '%' || ?)""",
            [phone.strip(), digits[-9:] if len(digits) >= 9 else digits],
        ).fetchall()
    else:
        raise SystemExit("Give --email, --phone or --customer-id.")
    return sorted(r[0] for r in rows)


def _section(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [list(headers), *[[("" if v is None else str(v)) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [f"{title} ({len(rows)})"]
    lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def render_profile(con: duckdb.DuckDBPyConnection, customer_id: str) -> str:
    golden = con.execute(f"select * from {MARTS}.dim_customers where customer_id = ?", [customer_id])
    columns = [d[0] for d in golden.description]
    row = golden.fetchone()
    if row is None:
        return f"{customer_id}: not in dim_customers (unknown, or forgotten by a deletion request)"
    record = dict(zip(columns, row, strict=True))
    name = " ".join(filter(None, [record["first_name"], record["last_name"]])) or "(no name)"
    header = [
        f"== {customer_id}: {name} ==",
        f"  email      {record['email']}  (from {record['email_source']})",
        f"  phone      {record['phone_e164']}  (from {record['phone_source']})",
        f"  country    {record['country_code']}   postal code {record['postal_code']}",
        f"  loyalty    {record['loyalty_tier']}   orders {record['orders']}   "
        f"lifetime revenue {record['lifetime_revenue']}   churn risk {record['churn_risk_score']}",
        f"  consent    email {record['email_consent']}, sms {record['sms_consent']}, "
        f"ads {record['ads_consent']}",
        f"  known in   {record['sources']}",
    ]
    parts = ["\n".join(header)]
    identifiers = con.execute(
        f"""select id_type, id_value, sources, records, coalesce(quarantine_reason, '') as quarantined,
                   first_seen_at, last_seen_at
            from {MARTS}.customer_identifiers where customer_id = ? order by id_type, id_value""",
        [customer_id],
    ).fetchall()
    parts.append(
        _section("Identifiers", ["type", "value", "sources", "records", "quarantined", "first", "last"],
                 identifiers)
    )  # fmt: skip
    records = con.execute(
        f"""select ids.record_key, rc.source, rc.entity, rc.source_rows, ids.id_assignment,
                   rc.first_seen_at, rc.last_seen_at
            from {INTERMEDIATE}.int_identity_customer_ids as ids
            inner join {INTERMEDIATE}.int_identity_record_clusters as rc using (record_key)
            where ids.customer_id = ? order by rc.source, rc.entity, rc.first_seen_at""",
        [customer_id],
    ).fetchall()
    parts.append(
        _section("Source records", ["record", "source", "entity", "rows", "id assignment", "first", "last"],
                 records)
    )  # fmt: skip
    segments = con.execute(
        f"select segment, entered_at, reason from {MARTS}.segment_memberships where customer_id = ? "
        "order by segment",
        [customer_id],
    ).fetchall()
    parts.append(_section("Segments", ["segment", "entered", "reason"], segments))
    merges = con.execute(
        f"""select change_type, old_customer_id, new_customer_id, cause, changed_at
            from {MARTS}.customer_id_merges where ? in (old_customer_id, new_customer_id)
            order by changed_at""",
        [customer_id],
    ).fetchall()
    parts.append(_section("Id history", ["change", "old id", "new id", "cause", "when"], merges))
    return "\n\n".join(parts)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--email")
    parser.add_argument("--phone")
    parser.add_argument("--customer-id")
    parser.add_argument("--target", default="dev", help="dbt target whose DuckDB warehouse to read")
    args = parser.parse_args(argv)
    path = warehouse_path(args.target)
    if not path.exists():
        raise SystemExit(f"No warehouse at {path}: run `make demo` first.")
    con = duckdb.connect(str(path), read_only=True)
    found = find_customers(con, email=args.email, phone=args.phone, customer_id=args.customer_id)
    if not found:
        raise SystemExit("No customer carries that identifier.")
    print("\n\n".join(render_profile(con, customer_id) for customer_id in found))


if __name__ == "__main__":
    main()
