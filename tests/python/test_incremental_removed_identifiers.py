"""A record that lands again without an identifier leaves that identifier's node.

int_identity_nodes is incremental: a run classifies again the values whose set of records changed. A record
joins a value through rows int_identity_linking_identifiers writes (stamped linked_at), but leaves one
through rows that model deletes, which are gone by the time the nodes run: its pre-hook logs them
(int_identity_linking_identifiers__removals) and int_identity_nodes reads the log. Here a shop customer
with an email and a phone shared with a CRM contact lands again with another email and no phone: the old
email's node must go (no record carries it) and the phone's node must count one record, though no row
carrying either value was written by the run. The incremental build must equal a full rebuild, and the
log must hold only its marker from the full build: the run logged its removals and the nodes read them.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import BUILD, append_landing_rows, dbt, generate, identity_rows, warehouse

pytestmark = pytest.mark.slow

OLD_EMAIL = "quinn.avery@mailbox.org"
NEW_EMAIL = "q.avery@mailbox.org"
PHONE = "+14155550123"
SELECT = ["--select", "+int_identity_customer_ids"]
MODELS = (
    "int_identity_identifier_names",
    "int_identity_linking_identifiers",
    "int_identity_nodes",
    "int_identity_customer_ids",
)


def _customer(email: str, phone: str | None, updated_at: datetime) -> dict[str, Any]:
    return {
        "id": 992001,
        "email": email,
        "phone": phone,
        "first_name": "Quinn",
        "last_name": "Avery",
        "country": "US",
        "state": "enabled",
        "created_at": "2026-01-02T10:00:00+00:00",
        "updated_at": updated_at.isoformat() + "+00:00",
        "_loaded_at": updated_at,
    }


def _nodes(data_dir: Path) -> dict[str, int]:
    con = warehouse(data_dir)
    try:
        rows = con.execute(
            "select id_value, records from main_intermediate.int_identity_nodes where id_value in (?, ?, ?)",
            [OLD_EMAIL, NEW_EMAIL, PHONE],
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("removed_identifiers")
    landing = generate(data_dir, "ci", 100, 5, "--as-of", "2026-01-15")
    append_landing_rows(
        landing, "shop", "customers", [_customer(OLD_EMAIL, PHONE, datetime(2026, 1, 3))], part="00000-test"
    )
    append_landing_rows(
        landing,
        "crm",
        "contacts",
        [
            {
                "vid": 992001,
                "phone": PHONE,
                "firstname": "Quinn",
                "lastname": "Avery",
                "country": "US",
                "lifecyclestage": "lead",
                "createdate": 1735689600000,
                "lastmodifieddate": 1735689600000,
                "_loaded_at": datetime(2026, 1, 3),
            }
        ],
        part="00000-test",
    )
    dbt(data_dir, [*BUILD, *SELECT])
    assert _nodes(data_dir) == {OLD_EMAIL: 1, PHONE: 2}
    return data_dir


@pytest.fixture(scope="module")
def moved(base: Path) -> Path:
    """Batch 1: the shop customer changes email and removes the phone."""
    append_landing_rows(
        base / "ci" / "landing",
        "shop",
        "customers",
        [_customer(NEW_EMAIL, None, datetime(2026, 2, 1))],
        part="00001",
    )
    dbt(base, ["run", *SELECT])
    return base


def test_the_values_a_record_left_are_classified_again(moved: Path, tmp_path: Path) -> None:
    assert _nodes(moved) == {NEW_EMAIL: 1, PHONE: 1}
    full = tmp_path / "full"
    shutil.copytree(moved / "ci" / "landing", full / "ci" / "landing")
    dbt(full, [*BUILD, *SELECT])
    for model in MODELS:
        built, rebuilt = identity_rows(moved, model), identity_rows(full, model)
        assert built == rebuilt, (model, sorted(built ^ rebuilt)[:10])


def test_the_nodes_read_and_pruned_the_log(moved: Path) -> None:
    con = warehouse(moved)
    try:
        log = con.execute(
            "select record_key, removed_at from main_intermediate.int_identity_linking_identifiers__removals"
        ).fetchall()
        full_build = con.execute(
            "select min(linked_at) from main_intermediate.int_identity_linking_identifiers"
        ).fetchone()
    finally:
        con.close()
    assert full_build is not None
    assert log == [(None, full_build[0])], log
