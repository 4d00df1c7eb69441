"""Customer ids survive reruns: a cluster that gains records keeps its id, merging clusters keep the oldest
id and log the merge with its cause, and a split leaves the id with the part holding most records.

Build 1 runs on a small generated sample plus hand-made records whose fate we know; a second batch of
landing files then merges two of them and splits a third, and build 2 must apply exactly those changes.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from dbt_harness import BUILD, append_landing_rows, dbt, generate, warehouse

pytestmark = pytest.mark.slow

SELECT = ["--select", "+customer_id_merges"]
RUN = ["run", *SELECT]
BATCH_0 = datetime(2026, 1, 1)
BATCH_1 = datetime(2026, 2, 1)


def _ids(data_dir: Path) -> dict[str, str]:
    con = warehouse(data_dir)
    rows = con.execute(
        "select record_key, customer_id from main_intermediate.int_identity_customer_ids"
    ).fetchall()
    con.close()
    return dict(rows)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str], Path]:
    data_dir = tmp_path_factory.mktemp("stable_ids")
    landing = generate(data_dir, "ci", 300, 7, "--as-of", "2026-01-15")

    # Build 1. A guest order by Ada, and Ada's loyalty card with her phone: two customers so far.
    append_landing_rows(
        landing,
        "shop",
        "orders",
        [
            {
                "id": 990001,
                "email": "ada.guest@mailbox.org",
                "billing_first_name": "Ada",
                "billing_last_name": "Lovelace",
                "currency": "USD",
                "total_price": "40.00",
                "financial_status": "paid",
                "source_name": "web",
                "created_at": "2025-12-01T10:00:00+00:00",
                "updated_at": "2025-12-01T10:00:00+00:00",
                "_loaded_at": BATCH_0,
            }
        ],
        part="00000-test",
    )
    append_landing_rows(
        landing,
        "loyalty",
        "members",
        [
            {
                "member_id": 990001,
                "card_number": "9999 0000 0001",
                "phone": "+1 415 555 0101",
                "first_name": "Ada",
                "last_name": "Lovelace",
                "country": "US",
                "tier": "bronze",
                "points_balance": 10,
                "enrolled_at": datetime(2025, 6, 1),
                "updated_at": datetime(2025, 6, 1),
                "_loaded_at": BATCH_0,
            }
        ],
        part="00000-test",
    )
    # Grace's three CRM contacts, linked by one email: one customer.
    append_landing_rows(
        landing,
        "crm",
        "contacts",
        [
            {
                "vid": 990000 + i,
                "email": "grace.h@mailbox.org",
                "firstname": "Grace",
                "lastname": "Hopper",
                "country": "US",
                "lifecyclestage": "lead",
                "createdate": 1735689600000 + i,
                "lastmodifieddate": 1735689600000 + i,
                "_loaded_at": BATCH_0,
            }
            for i in (1, 2, 3)
        ],
        part="00000-test",
    )
    dbt(data_dir, [*BUILD, *SELECT])
    first = _ids(data_dir)

    # Build 2. Ada opens a shop account with the guest email and her card's phone: the two merge.
    append_landing_rows(
        landing,
        "shop",
        "customers",
        [
            {
                "id": 990001,
                "email": "Ada.Guest@mailbox.org ",
                "phone": "(415) 555-0101",
                "first_name": "Ada",
                "last_name": "Lovelace",
                "country": "US",
                "state": "enabled",
                "created_at": "2026-01-15T09:00:00+00:00",
                "updated_at": "2026-01-15T09:00:00+00:00",
                "_loaded_at": BATCH_1,
            }
        ],
        part="00001",
    )
    # One of Grace's contacts changes its email: it leaves her cluster; the other two keep the id.
    append_landing_rows(
        landing,
        "crm",
        "contacts",
        [
            {
                "vid": 990003,
                "email": "g.hopper@navy.example.net",
                "firstname": "Grace",
                "lastname": "Hopper",
                "country": "US",
                "lifecyclestage": "lead",
                "createdate": 1735689600003,
                "lastmodifieddate": 1767225600000,
                "_loaded_at": BATCH_1,
            }
        ],
        part="00001",
    )
    dbt(data_dir, RUN)
    second = _ids(data_dir)
    return first, second, data_dir


def test_untouched_customers_keep_their_ids(builds: tuple[dict[str, str], dict[str, str], Path]) -> None:
    first, second, _ = builds
    scenario = {"shop:orders:990001", "loyalty:members:990001"} | {
        f"crm:contacts:99000{i}" for i in (1, 2, 3)
    }
    unchanged = [key for key in first if key not in scenario]
    assert len(unchanged) > 1000
    assert [key for key in unchanged if second.get(key) != first[key]] == []


def test_merge_keeps_the_oldest_id_and_logs_its_cause(
    builds: tuple[dict[str, str], dict[str, str], Path],
) -> None:
    first, second, data_dir = builds
    guest, card = first["shop:orders:990001"], first["loyalty:members:990001"]
    assert guest != card, "before the account, the guest order and the card are two customers"
    survivor = second["shop:customers:990001"]
    assert second["shop:orders:990001"] == second["loyalty:members:990001"] == survivor
    # Both ids were minted in build 1; the tie goes to the smaller id, deterministically.
    assert survivor == min(guest, card)
    absorbed = max(guest, card)
    con = warehouse(data_dir)
    merges = con.execute(
        "select old_customer_id, new_customer_id, cause_record_key, cause from main_marts.customer_id_merges "
        "where change_type = 'merge'"
    ).fetchall()
    con.close()
    assert (absorbed, survivor) in {(m[0], m[1]) for m in merges}
    cause = next(m for m in merges if m[0] == absorbed)
    assert cause[2] == "shop:customers:990001", cause


def test_split_leaves_the_id_with_the_majority(builds: tuple[dict[str, str], dict[str, str], Path]) -> None:
    first, second, data_dir = builds
    grace = {first[f"crm:contacts:99000{i}"] for i in (1, 2, 3)}
    assert len(grace) == 1
    (grace_id,) = grace
    assert second["crm:contacts:990001"] == second["crm:contacts:990002"] == grace_id
    leaver = second["crm:contacts:990003"]
    assert leaver != grace_id
    assert leaver not in first.values(), "the split-off record gets a brand-new id"
    con = warehouse(data_dir)
    splits = con.execute(
        "select old_customer_id, new_customer_id from main_marts.customer_id_merges "
        "where change_type = 'split'"
    ).fetchall()
    con.close()
    assert (grace_id, leaver) in splits


def test_a_run_that_failed_after_its_delete_loses_no_id(
    builds: tuple[dict[str, str], dict[str, str], Path], tmp_path: Path
) -> None:
    """The pre-hook moves the stored rows of the records it assigns again into a work table beside the model
    and deletes them. A run that fails after that (Spark and Snowflake do not undo the delete) leaves the
    table behind: the next run puts its rows back before anything else, and every record keeps its id."""
    _, second, data_dir = builds
    shutil.copytree(data_dir / "ci", tmp_path / "ci")
    ids = "main_intermediate.int_identity_customer_ids"
    with duckdb.connect(str(tmp_path / "ci" / "warehouse.duckdb")) as con:
        con.execute(
            f"create table {ids}__cc_dirty as select record_key, true as is_dirty, * exclude (record_key)"
            f" from {ids} using sample 30 percent (bernoulli, 7)"
        )
        con.execute(f"delete from {ids} where record_key in (select record_key from {ids}__cc_dirty)")
        (left,) = con.execute(f"select count(*) from {ids}").fetchone()
    assert 0 < left < len(second)
    dbt(tmp_path, ["run", "-s", "int_identity_customer_ids"])
    assert _ids(tmp_path) == second
    with duckdb.connect(str(tmp_path / "ci" / "warehouse.duckdb"), read_only=True) as con:
        work_tables = con.execute(
            "select table_name from information_schema.tables where table_name like '%__cc_dirty'"
        ).fetchall()
    assert work_tables == []


def test_ids_survive_a_full_refresh(builds: tuple[dict[str, str], dict[str, str], Path]) -> None:
    _, second, data_dir = builds
    dbt(data_dir, [*RUN, "--full-refresh"])
    assert _ids(data_dir) == second
