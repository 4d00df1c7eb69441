"""The marts over successive loads, as a scheduled CDP sees them.

Build 1 runs on a small generated sample. Batch 1 then lands: a redelivered web event, a late web event, a
cart abandoned on a phone by a known customer checking out as a guest, that customer's email opt-out, and a
deletion request for another customer. Batch 2 lands the same customer's purchase on the desktop shop while
logged in, a refund of another customer's order and one more line of a till sale. After each incremental build
(no full refresh) the marts must tell the truth.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from dbt_harness import BUILD, append_landing_rows, dbt, generate, warehouse

pytestmark = pytest.mark.slow

AS_OF = "2026-06-01"
VARS = ["--vars", json.dumps({"as_of": f"{AS_OF} 12:00:00"})]
RUN = ["run", *VARS]
BATCH_1 = datetime(2026, 6, 1, 6)
BATCH_2 = datetime(2026, 6, 1, 7)


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    row = con.execute(sql, params or []).fetchone()
    return row[0] if row else None


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data_dir = tmp_path_factory.mktemp("marts")
    landing = generate(data_dir, "ci", 400, 11, "--as-of", AS_OF)
    dbt(data_dir, [*BUILD, *VARS])

    con = warehouse(data_dir)
    # A customer with a shop account who is in a segment and receives email: the one who abandons a cart.
    shopper = con.execute(
        """
        select dim.customer_id, dim.email, ids.id_value
        from main_marts.dim_customers as dim
        inner join main_marts.customer_identifiers as ids
            on dim.customer_id = ids.customer_id and ids.id_type = 'shop_customer_id'
        where dim.customer_id in (select customer_id from main_marts.audience_email)
        order by dim.customer_id
        limit 1
        """
    ).fetchone()
    assert shopper, "the sample must have a consented, segmented shop customer"
    # Another customer with an email and orders, who asks to be forgotten.
    forgotten = con.execute(
        """
        select customer_id, email from main_marts.dim_customers
        where email is not null and orders > 0 and customer_id != ? order by customer_id desc limit 1
        """,
        [shopper[0]],
    ).fetchone()
    events_before = dict(
        con.execute(
            "select coalesce(customer_id, ''), count(*) from main_marts.fct_events group by all"
        ).fetchall()
    )
    con.close()

    web_file = sorted((landing / "web" / "events").glob("*.parquet"))[0]
    web_row = pq.read_table(web_file).slice(0, 1).to_pylist()[0]
    redelivered = dict(web_row, _loaded_at=BATCH_1)
    late = dict(
        web_row, message_id="late-event-1", original_timestamp="2026-05-20T08:00:00Z",
        received_at=BATCH_1, _loaded_at=BATCH_1,
    )  # fmt: skip
    append_landing_rows(landing, "web", "events", [redelivered, late], part="00001-test")
    append_landing_rows(landing, "shop", "checkouts", [{
        "id": 990001, "token": "t-990001", "email": shopper[1].upper(), "device_type": "mobile",
        "currency": "USD", "total_price": "80.00", "created_at": "2026-05-31T20:00:00+00:00",
        "updated_at": "2026-05-31T20:05:00+00:00", "_loaded_at": BATCH_1,
    }], part="00001-test")  # fmt: skip
    append_landing_rows(landing, "esp", "subscriptions", [{
        "id": "test-opt-out", "email": shopper[1], "channel": "email", "consent": "UNSUBSCRIBED",
        "method": "unsubscribe_link", "consented_at": "2026-05-31T21:00:00+00:00", "_loaded_at": BATCH_1,
    }], part="00001-test")  # fmt: skip
    append_landing_rows(landing, "privacy", "deletion_requests", [{
        "id": "test-deletion", "identifier_type": "email", "identifier_value": f"  {forgotten[1].upper()} ",
        "requested_at": datetime(2026, 5, 31, 22), "_loaded_at": BATCH_1,
    }], part="00001-test")  # fmt: skip
    dbt(data_dir, RUN)
    after_batch_1 = _snapshot(data_dir, shopper[0])

    refunded, till_sale, till_units = _orders_to_change(data_dir, {shopper[0], forgotten[0]})
    append_landing_rows(landing, "shop", "orders", [dict(
        refunded, financial_status="refunded", updated_at="2026-06-01T02:00:00+00:00", _loaded_at=BATCH_2
    )], part="00002-refund")  # fmt: skip
    append_landing_rows(landing, "pos", "transaction_lines", [dict(
        till_sale, line_id=type(till_sale["line_id"])("990003"), quantity=2, _loaded_at=BATCH_2
    )], part="00002-test")  # fmt: skip
    append_landing_rows(landing, "shop", "orders", [{
        "id": 990002, "customer_id": int(shopper[2]), "checkout_id": 990099, "source_name": "web",
        "financial_status": "paid", "currency": "USD", "total_price": "80.00",
        "created_at": "2026-06-01T01:00:00+00:00", "updated_at": "2026-06-01T01:00:00+00:00",
        "_loaded_at": BATCH_2,
    }], part="00002-test")  # fmt: skip
    dbt(data_dir, RUN)
    after_batch_2 = _snapshot(data_dir, shopper[0])
    return {
        "data_dir": data_dir,
        "shopper": shopper[0],
        "forgotten": forgotten,
        "events_before": events_before,
        "redelivered_id": "web:" + web_row["message_id"],
        "batch_1": after_batch_1,
        "batch_2": after_batch_2,
        "refunded": f"shop:{refunded['id']}",
        "till_sale": (f"pos:{till_sale['transaction_id']}", till_units),
    }


def _orders_to_change(data_dir: Path, excluded: set[str]) -> tuple[dict[str, Any], dict[str, Any], int]:
    """The landing rows of a paid shop order and of a till sale's line, of customers not in `excluded`, and
    the till sale's units."""
    con = warehouse(data_dir)
    order_id, transaction_id = (
        _one(
            con,
            "select min(source_order_id) from main_marts.fct_orders "
            "where source = ? and financial_status = 'paid' and customer_id not in (select unnest(?))",
            [source, sorted(excluded)],
        )
        for source in ("shop", "pos")
    )
    units = _one(con, "select units from main_marts.fct_orders where order_id = ?", [f"pos:{transaction_id}"])
    con.close()
    landing = data_dir / "ci" / "landing"
    order = _landing_row(landing / "shop" / "orders", "id", order_id)
    return order, _landing_row(landing / "pos" / "transaction_lines", "transaction_id", transaction_id), units


def _landing_row(folder: Path, column: str, value: str) -> dict[str, Any]:
    for path in sorted(folder.glob("*.parquet")):
        rows = [row for row in pq.read_table(path).to_pylist() if str(row[column]) == value]
        if rows:
            return rows[0]
    raise AssertionError(f"no {column} = {value} under {folder}")


def _snapshot(data_dir: Path, customer_id: str) -> dict[str, Any]:
    con = warehouse(data_dir)
    snapshot = {
        "segments": {r[0] for r in con.execute(
            "select segment from main_marts.segment_memberships where customer_id = ?", [customer_id]
        ).fetchall()},
        "email_consent": _one(
            con,
            "select consent_status from main_marts.customer_consent "
            "where customer_id = ? and channel = 'email'",
            [customer_id],
        ),
        "in_audience_email": _one(
            con, "select count(*) from main_marts.audience_email where customer_id = ?", [customer_id]
        ),
    }  # fmt: skip
    con.close()
    return snapshot


def test_redelivered_event_is_counted_once_and_late_event_lands_on_its_day(scenario: dict[str, Any]) -> None:
    con = warehouse(scenario["data_dir"])
    assert (
        _one(
            con, "select count(*) from main_marts.fct_events where event_id = ?", [scenario["redelivered_id"]]
        )
        == 1
    )
    # One new event (the late one); the redelivery adds nothing; the events of everyone forgotten since
    # (the requester, and anyone sharing the email they named) are gone.
    forgotten = {
        r[0] for r in con.execute("select customer_id from main_marts.customer_deletions").fetchall()
    }
    kept_before = sum(n for customer, n in scenario["events_before"].items() if customer not in forgotten)
    assert _one(con, "select count(*) from main_marts.fct_events") == kept_before + 1
    late = con.execute(
        "select occurred_date, _loaded_at from main_marts.fct_events where event_id = 'web:late-event-1'"
    ).fetchone()
    con.close()
    assert late == (date(2026, 5, 20), BATCH_1)


def test_cart_abandoned_on_mobile_and_bought_on_desktop_is_not_abandoned(scenario: dict[str, Any]) -> None:
    # The guest checkout carried only the email; the purchase only the logged-in shop account. Identity
    # resolution made them one customer, so the purchase ends the abandonment.
    assert "cart_abandoners" in scenario["batch_1"]["segments"]
    assert "cart_abandoners" not in scenario["batch_2"]["segments"]
    assert "recent_purchasers" in scenario["batch_2"]["segments"]


def test_an_opt_out_removes_the_customer_from_email_audiences(scenario: dict[str, Any]) -> None:
    assert scenario["batch_1"]["email_consent"] == "denied"
    assert scenario["batch_1"]["in_audience_email"] == 0


def test_nothing_about_a_forgotten_customer_remains_in_any_mart(scenario: dict[str, Any]) -> None:
    customer_id, email = scenario["forgotten"]
    con = warehouse(scenario["data_dir"])
    assert (
        _one(con, "select count(*) from main_marts.customer_deletions where customer_id = ?", [customer_id])
        == 1
    )
    identifiers = {customer_id, email.lower()}
    columns = con.execute(
        """
        select table_name, column_name from information_schema.columns
        where table_schema = 'main_marts' and data_type = 'VARCHAR' and table_name != 'customer_deletions'
        """
    ).fetchall()
    found = []
    for table, column in columns:
        # Containment, not equality: a node key such as 'email:x@y.com#ann' embeds the email.
        hits = _one(
            con,
            f'select count(*) from main_marts."{table}" '
            f'where list_has_any(?, [v for v in ? if contains(lower("{column}"), v)])',
            [sorted(identifiers), sorted(identifiers)],
        )
        if hits:
            found.append((table, column, hits))
    con.close()
    assert found == [], f"the forgotten customer is still in {found}"


ORDER_TABLES = ("fct_orders", "fct_order_lines")


def _order_rows(data_dir: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the order facts, without when the run that wrote it started."""
    con = warehouse(data_dir)
    rows = {
        table: con.execute(f"select * exclude (_written_at) from main_marts.{table} order by all").fetchall()
        for table in ORDER_TABLES
    }
    con.close()
    return rows


def test_orders_written_incrementally_equal_a_full_rebuild(scenario: dict[str, Any], tmp_path: Path) -> None:
    # A copy: the other tests read the warehouse the scenario's runs left.
    data_dir = tmp_path / "copy"
    shutil.copytree(scenario["data_dir"], data_dir)
    till_sale, units_before = scenario["till_sale"]
    con = warehouse(data_dir)
    order = "select financial_status, is_revenue, units from main_marts.fct_orders where order_id = ?"
    assert con.execute(order, [scenario["refunded"]]).fetchone()[:2] == ("refunded", False)
    assert con.execute(order, [till_sale]).fetchone()[2] == units_before + 2
    lines = "select count(*) from main_marts.fct_order_lines where order_id = ?"
    assert _one(con, lines, [till_sale]) >= 2
    currency = _one(
        con,
        "select currency from main_marts.fct_orders where currency != 'USD' "
        "group by currency order by count(*) desc",
    )
    con.close()
    rebuild = ["run", *VARS, "--full-refresh", "--select", *ORDER_TABLES]
    incremental = _order_rows(data_dir)
    dbt(data_dir, rebuild)
    assert _order_rows(data_dir) == incremental

    # A rate of fx_rates changes: every order and line in that currency is priced again, and only those.
    con = warehouse(data_dir, read_only=False)
    con.execute(
        "update main_reference.fx_rates set rate_to_reporting_currency = rate_to_reporting_currency * 2 "
        "where currency = ?",
        [currency],
    )
    con.close()
    dbt(data_dir, ["run", *VARS, "--select", *ORDER_TABLES])
    repriced = _order_rows(data_dir)
    con = warehouse(data_dir)
    latest = con.execute(
        "select currency, count(*) from main_marts.fct_orders "
        "where _written_at = (select max(_written_at) from main_marts.fct_orders) group by 1"
    ).fetchall()
    in_currency = _one(con, "select count(*) from main_marts.fct_orders where currency = ?", [currency])
    wrong = _one(
        con,
        "select count(*) from main_marts.fct_order_lines as lines "
        "inner join main_marts.fct_orders as orders using (order_id) "
        "inner join main_reference.fx_rates as fx using (currency) "
        "where lines.line_total_reporting "
        "!= cast(lines.line_total * fx.rate_to_reporting_currency as decimal(18, 2))",
    )
    con.close()
    assert wrong == 0
    assert latest == [(currency, in_currency)]
    dbt(data_dir, rebuild)
    assert _order_rows(data_dir) == repriced
