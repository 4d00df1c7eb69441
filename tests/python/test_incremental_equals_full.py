"""An incremental run gives the tables a full rebuild gives on the same data.

Warehouse A: the base load built in full, then batch 1 (`cdp-generate --batch 1`: new people, identifiers
that join existing customers, merges, updated profiles, redelivered and late events) processed by a plain
`dbt run`, where staging, the facts, int_identity_identifiers and the customer-level models are incremental.
Warehouse B: the same landing files (base + batch 1) built once with `--full-refresh`. Warehouse C: A's base
load, then batch 1 by a run in which two customer-level models did not run (as if they had failed), then a
run with nothing new: they must catch up from the change log (int_customer_changes).
A and C must put the same records in the same customers as B; customer ids are labels minted in order (the
full rebuild numbers the customers batch 1 created among the others), so their ids are translated to B's
through the records they hold. Then every table of every layer must hold the same
rows, apart from:
  * columns holding the run's time (when an id was minted or a size measured) or the run's history (the
    id a record had before the run, how it got its id, the key hashed from a customer id);
  * the history that only a sequence of runs can have: the merge log and the id changes of batch 1, the
    previous segment sizes. Their content for batch 1 is checked by test_identity_stable_ids.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import pytest
from dbt_harness import BIN, BUILD, dbt
from table_compare import CUSTOMER_LEVEL_MODELS, Rows, differences, duckdb_tables, normalise, report

pytestmark = pytest.mark.slow

CUSTOMERS = 300
CUSTOMER_ID = re.compile(r"cus_[0-9]{10}")
SAMPLE = ["--customers", str(CUSTOMERS), "--seed", "11", "--as-of", "2026-01-01"]
AS_OF = ["--vars", json.dumps({"as_of": "2026-01-01 02:00:00"})]
# Beside the run-time columns every comparison leaves out (table_compare.RUN_TIME_COLUMNS): how a record got
# its id in this run, and a key hashed from a customer id.
RUN_HISTORY_COLUMNS = {
    "int_identity_customer_ids": {"previous_customer_id", "id_assignment"},
    "customer_identifiers": {"customer_identifier_id"},
}
# Tables that record what happened between runs: a single full build has no such history.
RUN_HISTORY = {
    "customer_id_merges",
    "int_identity_id_changes",
    "segment_size_history",
    "int_customer_changes",
}


def _generate(out: Path, *options: str) -> None:
    subprocess.run(
        [str(BIN / "cdp-generate"), *SAMPLE, "--out", str(out), *options],
        check=True, capture_output=True, text=True,
    )  # fmt: skip


def _customer_ids(data_dir: Path) -> dict[str, str]:
    """record_key -> customer_id."""
    with duckdb.connect(str(data_dir / "ci" / "warehouse.duckdb"), read_only=True) as con:
        query = "select record_key, customer_id from main_intermediate.int_identity_customer_ids"
        return dict(con.execute(query).fetchall())


def _relabel(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str) and "cus_" in value:
        return CUSTOMER_ID.sub(lambda match: ids[match.group(0)], value)
    return value


def _tables(data_dir: Path, ids: dict[str, str]) -> dict[str, tuple[tuple[str, ...], Rows]]:
    """Kept columns and rows of every model table, customer ids translated by `ids`."""
    tables = duckdb_tables(data_dir / "ci" / "warehouse.duckdb")
    return {
        name: (
            table.kept_columns(name, RUN_HISTORY_COLUMNS.get(name)),
            table.comparable(name, RUN_HISTORY_COLUMNS.get(name), lambda v: _relabel(normalise(v), ids)),
        )
        for name, table in tables.items()
        if not name.endswith("__previous") and "__rounds" not in name
    }


class Warehouses(NamedTuple):
    incremental: Path  # base load, then batch 1 by a plain `dbt run`
    full: Path  # the same landing files built once with --full-refresh
    base: Path  # a copy of `incremental` after the base load, before batch 1


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> Warehouses:
    incremental = tmp_path_factory.mktemp("incremental")
    _generate(incremental / "ci")
    dbt(incremental, [*BUILD, "--full-refresh", *AS_OF])
    base = tmp_path_factory.mktemp("base")
    shutil.copytree(incremental / "ci", base / "ci", dirs_exist_ok=True)
    _generate(incremental / "ci", "--batch", "1", "--batch-fraction", "0.1")
    dbt(incremental, ["run", *AS_OF])

    full = tmp_path_factory.mktemp("full")
    shutil.copytree(incremental / "ci" / "landing", full / "ci" / "landing")
    dbt(full, [*BUILD, "--full-refresh", *AS_OF])
    return Warehouses(incremental, full, base)


@pytest.fixture(scope="module")
def caught_up(warehouses: Warehouses) -> Path:
    """Batch 1 processed by a run in which two customer-level models and the identity clusters did not run
    (as if they had failed; the record clusters ran on the stale clusters), then a run with nothing new:
    they must catch up from the change log and the stored links."""
    data = warehouses.base
    shutil.copytree(warehouses.incremental / "ci" / "landing", data / "ci" / "landing", dirs_exist_ok=True)
    missed = ["int_customer_attribute_winners", "customer_consent", "int_identity_clusters"]
    dbt(data, ["run", "--exclude", *missed, *AS_OF])
    dbt(data, ["run", *AS_OF])
    return data


def _assert_equal_to_full(built: Path, full_build: Path) -> None:
    built_ids, full_ids = _customer_ids(built), _customer_ids(full_build)
    to_full = {built_ids[record]: full_ids[record] for record in built_ids}
    # Deleted customers keep no records: their ids cannot be translated and must not appear.
    incremental = _tables(built, to_full)
    full = _tables(full_build, {customer: customer for customer in to_full.values()})
    assert sorted(incremental) == sorted(full)
    compared = sorted(set(incremental) - RUN_HISTORY)
    for name in compared:
        assert incremental[name][0] == full[name][0], name
    different = differences(
        {name: incremental[name][1] for name in compared},
        {name: full[name][1] for name in compared},
        "after the incremental run",
        "in the full rebuild",
    )
    assert not different, report(different)


def test_batch_one_changed_the_warehouse(warehouses: Warehouses) -> None:
    """The comparison is not vacuous: batch 1 brought new customers and records joining existing ones."""
    incremental = warehouses.incremental
    with duckdb.connect(str(incremental / "ci" / "warehouse.duckdb"), read_only=True) as con:
        joined, created = con.execute(
            """
            with customers as (
                select customer_id, bool_or(id_assignment = 'kept') as existed
                from main_intermediate.int_identity_customer_ids
                group by customer_id
            )
            select
                count(*) filter (where customers.existed),
                count(distinct ids.customer_id) filter (where not customers.existed)
            from main_intermediate.int_identity_customer_ids as ids
            inner join customers on ids.customer_id = customers.customer_id
            where ids.id_assignment = 'new_record'
            """
        ).fetchone() or (0, 0)
    assert joined > 0, "no new record joined an existing customer"
    assert created > 0, "batch 1 created no customer"


def test_same_records_in_the_same_customers(warehouses: Warehouses) -> None:
    incremental, full = _customer_ids(warehouses.incremental), _customer_ids(warehouses.full)
    assert incremental.keys() == full.keys()
    pairs = {(incremental[record], full[record]) for record in incremental}
    assert len(pairs) == len({a for a, _ in pairs}) == len({b for _, b in pairs})


def test_every_table_equals_the_full_rebuild(warehouses: Warehouses) -> None:
    _assert_equal_to_full(warehouses.incremental, warehouses.full)


def test_a_model_that_missed_a_run_catches_up(warehouses: Warehouses, caught_up: Path) -> None:
    _assert_equal_to_full(caught_up, warehouses.full)


def test_batch_one_recomputed_only_the_changed_customers(warehouses: Warehouses) -> None:
    """The customer-level models kept the rows of the customers batch 1 did not touch (refreshed_at: the
    base run's) and recomputed only customers int_customer_changes logged for the batch, or forgotten ones."""
    incremental = warehouses.incremental
    with duckdb.connect(str(incremental / "ci" / "warehouse.duckdb"), read_only=True) as con:
        base_run, batch_run = (
            row[0]
            for row in con.execute(
                "select distinct changed_at from main_intermediate.int_customer_changes order by 1"
            ).fetchall()
        )
        logged = {
            row[0]
            for row in con.execute(
                """
                select customer_id from main_intermediate.int_customer_changes where changed_at = $1
                union
                select previous_customer_id from main_intermediate.int_customer_changes where changed_at = $1
                union
                select customer_id from main_intermediate.int_privacy_deleted_customers
                """,
                [batch_run],
            ).fetchall()
            if row[0] is not None
        }
        assert len(logged) > 0
        for table in CUSTOMER_LEVEL_MODELS:
            schema = "main_marts" if not table.startswith("int_") else "main_intermediate"
            refreshed = dict(
                con.execute(
                    f"select customer_id, max(refreshed_at) from {schema}.{table} group by customer_id"
                ).fetchall()
            )
            recomputed = {customer for customer, at in refreshed.items() if at == batch_run}
            kept = {customer for customer, at in refreshed.items() if at == base_run}
            assert recomputed and kept, table
            assert recomputed | kept == set(refreshed), table
            # Every recomputed customer was logged; logged customers without rows were merged away.
            assert recomputed <= logged, table
            assert len(recomputed) < len(refreshed) / 2, table


def test_changed_survivorship_rules_recompute_every_customer(caught_up: Path, tmp_path: Path) -> None:
    """A run after the survivorship rules changed recomputes every customer's winners, not only the
    customers whose records changed: the result equals a full rebuild under the new rules."""
    shutil.copytree(caught_up / "ci", tmp_path / "ci")
    warehouse = str(tmp_path / "ci" / "warehouse.duckdb")
    winners = (
        "select * exclude (refreshed_at, rules_version) from main_intermediate.int_customer_attribute_winners"
    )
    with duckdb.connect(warehouse) as con:
        before = Counter(con.execute(winners).fetchall())
        con.execute(
            "update main_reference.survivorship_rules"
            " set strategy = 'source_priority', source_order = 'esp support crm shop loyalty'"
            " where attribute in ('first_name', 'last_name')"
        )
    dbt(tmp_path, ["run", "-s", "int_customer_attribute_winners", *AS_OF])
    with duckdb.connect(warehouse, read_only=True) as con:
        incremental = Counter(con.execute(winners).fetchall())
        runs = con.execute(
            "select count(distinct refreshed_at) from main_intermediate.int_customer_attribute_winners"
        ).fetchone()
    dbt(tmp_path, ["run", "-s", "int_customer_attribute_winners", "--full-refresh", *AS_OF])
    with duckdb.connect(warehouse, read_only=True) as con:
        full = Counter(con.execute(winners).fetchall())
    assert incremental != before, "the new rules changed no winner: the check proves nothing"
    assert runs == (1,)
    assert incremental == full


def test_batch_one_reclassified_only_the_touched_nodes(warehouses: Warehouses) -> None:
    """int_identity_nodes kept the nodes batch 1 did not touch (classified_at: the base run's), with the
    same node ids as the full rebuild gives them."""
    nodes = "select node_key, node_id, classified_at from main_intermediate.int_identity_nodes"
    with duckdb.connect(str(warehouses.incremental / "ci" / "warehouse.duckdb"), read_only=True) as con:
        incremental = {key: (node_id, at) for key, node_id, at in con.execute(nodes).fetchall()}
    with duckdb.connect(str(warehouses.full / "ci" / "warehouse.duckdb"), read_only=True) as con:
        full_ids = {key: node_id for key, node_id, _ in con.execute(nodes).fetchall()}
    _base_run, batch_run = sorted({at for _, at in incremental.values()})
    reclassified = [key for key, (_, at) in incremental.items() if at == batch_run]
    assert 0 < len(reclassified) < len(incremental) / 2
    assert {key: node_id for key, (node_id, _) in incremental.items()} == full_ids


def test_batch_one_reclustered_only_the_touched_components(warehouses: Warehouses) -> None:
    """The record anchors, clusters and record clusters kept the rows batch 1 did not touch
    (their run stamp: the base run's); test_every_table_equals_the_full_rebuild checks the rows themselves."""
    stamps = {
        "int_identity_record_anchors": "anchored_at",
        "int_identity_clusters": "clustered_at",
        "int_identity_record_clusters": "clustered_at",
    }
    with duckdb.connect(str(warehouses.incremental / "ci" / "warehouse.duckdb"), read_only=True) as con:
        for model, stamp in stamps.items():
            query = f"select {stamp}, count(*) from main_intermediate.{model} group by all"
            runs = dict(con.execute(query).fetchall())
            assert len(runs) == 2, (model, runs)
            _base_run, batch_run = sorted(runs)
            assert 0 < runs[batch_run] < sum(runs.values()) / 2, (model, runs)


def test_new_nicknames_recluster_every_component(caught_up: Path, tmp_path: Path) -> None:
    """A run after the nickname seed changed computes every cluster again (account names may conflict
    or agree anew): the result equals a full rebuild with the new nicknames."""
    shutil.copytree(caught_up / "ci", tmp_path / "ci")
    warehouse = str(tmp_path / "ci" / "warehouse.duckdb")
    clusters = (
        "select * exclude (clustered_at, rules_version)"
        " from main_intermediate.int_identity_clusters order by node_id"
    )
    select = ["-s", "int_first_name_equivalences", "int_identity_clusters"]
    with duckdb.connect(warehouse) as con:
        con.execute("insert into main_reference.first_name_nicknames values ('zebulon', 'zeb')")
    dbt(tmp_path, ["run", *select, *AS_OF])
    with duckdb.connect(warehouse, read_only=True) as con:
        incremental = con.execute(clusters).fetchall()
        runs = con.execute(
            "select count(distinct clustered_at) from main_intermediate.int_identity_clusters"
        ).fetchone()
    dbt(tmp_path, ["run", *select, "--full-refresh", *AS_OF])
    with duckdb.connect(warehouse, read_only=True) as con:
        full = con.execute(clusters).fetchall()
    assert runs == (1,)
    assert incremental == full


def test_changed_blocklist_reclassifies_every_node(caught_up: Path, tmp_path: Path) -> None:
    """A run after the blocklist changed classifies every node again, not only the touched ones: the
    result equals a full rebuild under the new blocklist."""
    shutil.copytree(caught_up / "ci", tmp_path / "ci")
    warehouse = str(tmp_path / "ci" / "warehouse.duckdb")
    nodes = (
        "select * exclude (classified_at, rules_version)"
        " from main_intermediate.int_identity_nodes order by node_key"
    )
    with duckdb.connect(warehouse) as con:
        (email,) = con.execute(
            "select id_value from main_intermediate.int_identity_nodes"
            " where id_type = 'email' and is_linkable order by records desc, id_value limit 1"
        ).fetchone()
        con.execute(
            "insert into main_reference.identity_blocklist values ('email', 'exact', $1, 'test entry')",
            [email],
        )
    dbt(tmp_path, ["run", "-s", "int_identity_nodes", *AS_OF])
    with duckdb.connect(warehouse, read_only=True) as con:
        incremental = con.execute(nodes).fetchall()
        runs = con.execute(
            "select count(distinct classified_at) from main_intermediate.int_identity_nodes"
        ).fetchone()
        blocked = con.execute(
            "select quarantine_reason from main_intermediate.int_identity_nodes"
            " where id_type = 'email' and raw_value = $1",
            [email],
        ).fetchall()
    dbt(tmp_path, ["run", "-s", "int_identity_nodes", "--full-refresh", *AS_OF])
    with duckdb.connect(warehouse, read_only=True) as con:
        full = con.execute(nodes).fetchall()
    assert blocked and {reason for (reason,) in blocked} == {"blocklisted"}
    assert runs == (1,)
    assert incremental == full


def test_a_run_with_nothing_new_relinks_and_reclassifies_nothing(caught_up: Path, tmp_path: Path) -> None:
    """The records carrying a split identifier are rebuilt on every run (their link values hang on the names
    of other records), but those that come out as they were keep their linked_at: a run with nothing new
    classifies no node again and clusters nothing again."""
    shutil.copytree(caught_up / "ci", tmp_path / "ci")
    warehouse = str(tmp_path / "ci" / "warehouse.duckdb")
    stamps = {
        "int_identity_linking_identifiers": "select record_key, id_type, link_value, linked_at",
        "int_identity_nodes": "select node_key, classified_at",
        "int_identity_clusters": "select node_key, cluster_key, clustered_at",
    }

    def read() -> dict[str, list[tuple[Any, ...]]]:
        with duckdb.connect(warehouse, read_only=True) as con:
            return {
                model: con.execute(f"{columns} from main_intermediate.{model} order by all").fetchall()
                for model, columns in stamps.items()
            }

    with duckdb.connect(warehouse, read_only=True) as con:
        (split,) = con.execute(
            "select count(*) from main_intermediate.int_identity_linking_identifiers"
            " where link_value != id_value"
        ).fetchone()
    before = read()
    dbt(tmp_path, ["run", "-s", *stamps, *AS_OF])
    assert split > 0
    assert read() == before
