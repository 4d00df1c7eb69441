"""Key tests scoped to a table's latest batch (macros/tests/get_where_subquery.sql).

An hourly run tests the rows it wrote: a duplicate or an orphan in the latest batch fails the build, even
when the other row of the collision is older; the same defects in an older batch are left to the full suite
(var data_tests_scope = 'all'), which finds them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dbt_harness import BUILD, dbt, generate, warehouse

pytestmark = pytest.mark.slow

TESTED = ["customer_identifiers", "int_customer_record_states"]
UNIQUE_ID = "unique_customer_identifiers_customer_identifier_id"
UNIQUE_COMBINATION = "cdp_unique_combination_of_columns_customer_identifiers_customer_id__id_type__id_value"
RELATIONSHIP = (
    "relationships_int_customer_record_states_record_key__record_key__ref_int_identity_customer_ids_"
)


def _failed_tests(data_dir: Path, *extra: str) -> set[str]:
    result = dbt(data_dir, ["test", "--select", *TESTED, *extra], check=False)
    failed = set(re.findall(r"Failure in test (\S+)", result.stdout))
    assert failed or result.returncode == 0, result.stdout[-4000:]
    return failed


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("scope")
    generate(data_dir, "ci", 120, 5)
    dbt(data_dir, BUILD)
    con = warehouse(data_dir, read_only=False)
    try:
        # Make the latest batch one customer's rows and one record's state; everything else an hour older.
        latest_customer, other_customer = (
            row[0]
            for row in con.execute(
                "select distinct customer_id from main_marts.customer_identifiers"
                " order by customer_id limit 2"
            ).fetchall()
        )
        con.execute(
            "update main_marts.customer_identifiers set refreshed_at = refreshed_at - interval 1 hour"
            " where customer_id != ?",
            [latest_customer],
        )
        con.execute(
            "update main_intermediate.int_customer_record_states"
            " set changed_at = changed_at - interval 1 hour"
            " where record_key != (select min(record_key) from main_intermediate.int_customer_record_states)"
        )
        # Defects in the older batch: a customer's identifier twice, a state of a record no one resolved.
        con.execute(
            "insert into main_marts.customer_identifiers select * from main_marts.customer_identifiers"
            " where customer_id = ? limit 1",
            [other_customer],
        )
        con.execute(
            "insert into main_intermediate.int_customer_record_states"
            " select 'ghost:old', customer_id, fingerprint, changed_at"
            " from main_intermediate.int_customer_record_states where changed_at < (select max(changed_at)"
            " from main_intermediate.int_customer_record_states) limit 1"
        )
        con.execute("checkpoint")
    finally:
        con.close()
    return data_dir


def test_older_defects_are_left_to_the_full_suite(data_dir: Path) -> None:
    assert _failed_tests(data_dir) == set()
    assert _failed_tests(data_dir, "--vars", json.dumps({"data_tests_scope": "all"})) == {
        UNIQUE_ID,
        UNIQUE_COMBINATION,
        RELATIONSHIP,
    }


def test_defects_of_the_latest_batch_fail(data_dir: Path) -> None:
    con = warehouse(data_dir, read_only=False)
    try:
        # The copy keeps an older stamp: the collision is found through the key it shares with the batch.
        con.execute(
            "insert into main_marts.customer_identifiers"
            " select * replace (refreshed_at - interval 1 day as refreshed_at)"
            " from main_marts.customer_identifiers"
            " where refreshed_at = (select max(refreshed_at) from main_marts.customer_identifiers) limit 1"
        )
        con.execute(
            "insert into main_intermediate.int_customer_record_states"
            " select 'ghost:new', customer_id, fingerprint, changed_at"
            " from main_intermediate.int_customer_record_states where changed_at = (select max(changed_at)"
            " from main_intermediate.int_customer_record_states)"
        )
        con.execute("checkpoint")
    finally:
        con.close()
    assert _failed_tests(data_dir) == {UNIQUE_ID, UNIQUE_COMBINATION, RELATIONSHIP}


def test_an_unknown_scope_is_refused(data_dir: Path) -> None:
    result = dbt(
        data_dir,
        ["test", "--select", TESTED[0], "--vars", json.dumps({"data_tests_scope": "new"})],
        check=False,
    )
    assert result.returncode != 0
    assert "must be 'latest_batch' or 'all', not 'new'" in result.stdout
