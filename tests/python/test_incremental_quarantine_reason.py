"""An identifier's quarantine changes for records that did not land again.

int_customer_changes compares only the records whose inputs a run rewrote. One input is the quarantine of
the identifiers a record carries, which can change while the record's rows, links and customer stay as
they were. Here a browser cookie is used by two shop customers logged in on it: shared, so it links
nothing. A batch brings four more customers on the same cookie: over-shared now (more than
identity_max_people_per_identifier people), and still linking nothing. The first two customers' records
did not land again, nor did their customers change, but customer_identifiers must show the cookie's new
reason for them, as a full rebuild of the same landing files does. (The change log finds those records
through the cookie's new classification, or through their ids being relabelled `kept`: it fails only
without both.)
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from dbt_harness import BUILD, append_landing_rows, dbt, generate, warehouse

pytestmark = pytest.mark.slow

COOKIE = "cookie-household-test"
# The state the change log compares against is built from the log, not an ancestor of the mart.
SELECT = ["--select", "+customer_identifiers", "int_customer_record_states"]


def _first_customers_with_distinct_names(landing: Path, count: int) -> list[str]:
    customers = pq.read_table(landing / "shop" / "customers").to_pylist()
    by_name: dict[str, str] = {}
    for customer in sorted(customers, key=lambda c: str(c["id"])):
        name = (customer["first_name"] or "").strip().lower()
        if name and name not in by_name:
            by_name[name] = str(customer["id"])
    assert len(by_name) >= count, "the sample must have enough first names"
    return list(by_name.values())[:count]


def _land_visits(landing: Path, customers: list[str], loaded_at: datetime, part: str) -> None:
    append_landing_rows(
        landing,
        "web",
        "events",
        [
            {
                "message_id": f"quarantine-test-{part}-{customer}",
                "type": "page",
                "event": None,
                "anonymous_id": COOKIE,
                "user_id": customer,
                "email": None,
                "page_url": "https://shop.example.com/account",
                "device_type": "tablet",
                "product_category": None,
                "ads_consent": None,
                "original_timestamp": "2026-01-10T10:00:00.000Z",
                "received_at": datetime(2026, 1, 10, 10, 0, 1),
                "_loaded_at": loaded_at,
            }
            for customer in customers
        ],
        part=part,
    )


def _cookie_reasons(data_dir: Path) -> list[tuple[Any, ...]]:
    """The cookie's quarantine reason on each customer holding it, customers named by a shop account."""
    con = warehouse(data_dir)
    try:
        return con.execute(
            """
            select accounts.id_value, cookies.quarantine_reason
            from main_marts.customer_identifiers as cookies
            inner join main_marts.customer_identifiers as accounts
                on cookies.customer_id = accounts.customer_id and accounts.id_type = 'shop_customer_id'
            where cookies.id_type = 'anonymous_id' and cookies.id_value = ?
            order by 1
            """,
            [COOKIE],
        ).fetchall()
    finally:
        con.close()


def _identifier_rows(data_dir: Path) -> set[tuple[Any, ...]]:
    con = warehouse(data_dir)
    try:
        # Customer ids are labels minted in order: name each customer by its smallest shop account.
        rows = con.execute(
            """
            select
                min(case when id_type = 'shop_customer_id' then id_value end) over (partition by customer_id),
                * exclude (customer_identifier_id, customer_id, refreshed_at)
            from main_marts.customer_identifiers
            """
        ).fetchall()
    finally:
        con.close()
    return set(rows)


@pytest.fixture(scope="module")
def over_shared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    data_dir = tmp_path_factory.mktemp("quarantine_reason")
    landing = generate(data_dir, "ci", 100, 5, "--as-of", "2026-01-15")
    customers = _first_customers_with_distinct_names(landing, 6)
    dbt(data_dir, [*BUILD, *SELECT])
    # The first run after a full build assigns every id again (`kept`), so the change log compares every
    # record; the cookie's first two customers land then.
    _land_visits(landing, customers[:2], datetime(2026, 1, 20), "00001")
    dbt(data_dir, ["run", *SELECT])
    assert _cookie_reasons(data_dir) == [(customer, "shared") for customer in sorted(customers[:2])]

    _land_visits(landing, customers[2:], datetime(2026, 2, 1), "00002")
    dbt(data_dir, ["run", *SELECT])
    compiled = data_dir / "target" / "compiled" / "cdp" / "models" / "intermediate" / "customers"
    sql = (compiled / "int_customer_changes.sql").read_text()
    assert "candidates as (" in sql, "the change log must pick out the records to compare"
    con = warehouse(data_dir)
    try:
        # The run compared records with the stored state: it did not fall back to recomputing everyone.
        logged = con.execute(
            "select change_type, count(*) from main_intermediate.int_customer_changes"
            " where changed_at = (select max(changed_at) from main_intermediate.int_customer_changes)"
            " group by change_type"
        ).fetchall()
    finally:
        con.close()
    assert dict(logged).keys() <= {"new_record", "moved", "changed"}, logged
    return data_dir, customers


def test_a_new_reason_reaches_customers_whose_records_did_not_change(
    over_shared: tuple[Path, list[str]],
) -> None:
    data_dir, customers = over_shared
    assert _cookie_reasons(data_dir) == [(customer, "over_shared") for customer in sorted(customers)]


def test_the_incremental_build_equals_the_full_rebuild(
    over_shared: tuple[Path, list[str]], tmp_path: Path
) -> None:
    data_dir, _ = over_shared
    full = tmp_path / "full"
    shutil.copytree(data_dir / "ci" / "landing", full / "ci" / "landing")
    dbt(full, [*BUILD, *SELECT])
    built, rebuilt = _identifier_rows(data_dir), _identifier_rows(full)
    assert built == rebuilt, sorted(built ^ rebuilt)[:10]
