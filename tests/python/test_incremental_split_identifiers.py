"""An identifier that becomes shared changes the link values of records that did not land again.

int_identity_linking_identifiers is incremental: a run rebuilds the records that landed since the last one
plus every record carrying an identifier split by first name, now or before. Here a family email is used
by Maria's two CRM contacts (one person, links as is); a batch brings Carlos's order with the same email,
so the email is split by first name and Maria's contacts, which did not change, must link by
"<email>#maria". A later batch removes Carlos's order's email again (an updated order), so the email
is no longer shared and Maria's contacts link by the plain value again; the order, left without an
identifier, is no identity record any more (int_identity_records is incremental too). After each batch,
the incremental build must equal a full rebuild of the same landing files.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import BUILD, append_landing_rows, dbt, generate, identity_rows, warehouse

pytestmark = pytest.mark.slow

EMAIL = "lopez.family@mailbox.org"
SELECT = ["--select", "+int_identity_customer_ids"]
MODELS = (
    "int_identity_records",
    "int_identity_linking_identifiers",
    "int_identity_nodes",
    "int_identity_customer_ids",
)


def _order(email: str | None, loaded_at: datetime) -> dict[str, Any]:
    return {
        "id": 991001,
        "email": email,
        "billing_first_name": "Carlos",
        "billing_last_name": "Lopez",
        "currency": "USD",
        "total_price": "25.00",
        "financial_status": "paid",
        "source_name": "web",
        "created_at": "2026-01-10T10:00:00+00:00",
        "updated_at": loaded_at.isoformat() + "+00:00",
        "_loaded_at": loaded_at,
    }


def _link_values(data_dir: Path) -> dict[str, str]:
    con = warehouse(data_dir)
    try:
        rows = con.execute(
            "select record_key, link_value from main_intermediate.int_identity_linking_identifiers"
            " where id_type = 'email' and id_value = ?",
            [EMAIL],
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def _assert_equal_to_full(incremental: Path, tmp_path: Path) -> None:
    full = tmp_path / "full"
    shutil.rmtree(full, ignore_errors=True)
    shutil.copytree(incremental / "ci" / "landing", full / "ci" / "landing")
    dbt(full, [*BUILD, *SELECT])
    for model in MODELS:
        built, rebuilt = identity_rows(incremental, model), identity_rows(full, model)
        assert built == rebuilt, (model, sorted(built ^ rebuilt)[:10])


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("split_identifiers")
    landing = generate(data_dir, "ci", 100, 5, "--as-of", "2026-01-15")
    append_landing_rows(
        landing,
        "crm",
        "contacts",
        [
            {
                "vid": 991000 + i,
                "email": EMAIL,
                "firstname": "Maria",
                "lastname": "Lopez",
                "country": "US",
                "lifecyclestage": "lead",
                "createdate": 1735689600000 + i,
                "lastmodifieddate": 1735689600000 + i,
                "_loaded_at": datetime(2026, 1, 1),
            }
            for i in (1, 2)
        ],
        part="00000-test",
    )
    dbt(data_dir, [*BUILD, *SELECT])
    links = _link_values(data_dir)
    assert links == {"crm:contacts:991001": EMAIL, "crm:contacts:991002": EMAIL}, links
    return data_dir


def _land_order(data_dir: Path, email: str | None, loaded_at: datetime, part: str) -> Path:
    """A version of Carlos's order lands as batch `part`, and an incremental run reads it."""
    append_landing_rows(data_dir / "ci" / "landing", "shop", "orders", [_order(email, loaded_at)], part=part)
    dbt(data_dir, ["run", *SELECT])
    return data_dir


@pytest.fixture(scope="module")
def shared(base: Path) -> Path:
    """Batch 1: Carlos orders with the family email."""
    return _land_order(base, EMAIL, datetime(2026, 2, 1), "00001")


@pytest.fixture(scope="module")
def unshared(shared: Path) -> Path:
    """Batch 2: Carlos's order loses the email (an updated version of the order)."""
    return _land_order(shared, None, datetime(2026, 3, 1), "00002")


def test_a_newly_shared_email_splits_records_that_did_not_land(shared: Path, tmp_path: Path) -> None:
    links = _link_values(shared)
    assert links["crm:contacts:991001"] == f"{EMAIL}#maria", links
    assert links["crm:contacts:991002"] == f"{EMAIL}#maria", links
    assert links["shop:orders:991001"] == f"{EMAIL}#carlos", links
    _assert_equal_to_full(shared, tmp_path)


def test_an_email_no_longer_shared_links_as_is_again(unshared: Path, tmp_path: Path) -> None:
    links = _link_values(unshared)
    assert links == {"crm:contacts:991001": EMAIL, "crm:contacts:991002": EMAIL}, links
    records = {row[0] for row in identity_rows(unshared, "int_identity_records")}
    assert "shop:orders:991001" not in records
    _assert_equal_to_full(unshared, tmp_path)
