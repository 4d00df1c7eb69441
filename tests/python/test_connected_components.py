"""The connected-components macro (macros/identity), run for real through dbt on fixture graphs.

dbt runs in-process (``dbtRunner``) in a scratch project named ``cdp`` whose only macros are copies of the
macro's files in ``macros/identity``, against the repository's own ``profiles.yml`` targets, so
``adapter.dispatch`` picks what a real run picks. Every output is checked against scipy's components,
labelled with the minimum node id. DuckDB covers every fixture, the materialization and a model hook; Spark
(session mode, marked ``spark``) and the Snowflake emulation fakesnow (marked ``snowflake``) run the fixtures
as one disjoint union (Spark with a shorter path: a statement takes it about a second), Spark also the
materialization, and every statement sent to Snowflake must parse as Snowflake SQL.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from dbt.cli.main import dbtRunner
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components as scipy_connected_components
from spark_session import LOCAL_JVM_OPTIONS, stop_spark

REPO = Path(__file__).resolve().parents[2]
# The macro's own files only: other work in progress in macros/identity cannot break these tests.
MACRO_FILES = sorted(
    {
        *(REPO / "macros" / "identity").glob("cc_*.sql"),
        *(REPO / "macros" / "identity").glob("*connected_components.sql"),
    }
)

Node = int | str | None
Edge = tuple[Node, Node]

# --------------------------------------------------------------------------------------------------
# Fixture graphs
# --------------------------------------------------------------------------------------------------


def path(n: int, shuffled: bool, seed: int = 1) -> list[Edge]:
    """A simple path of n nodes; ids increase along it unless shuffled (the worst case for min-label)."""
    ids = np.arange(1, n + 1)
    if shuffled:
        ids = np.random.default_rng(seed).permutation(ids)
    return [(int(a), int(b)) for a, b in itertools.pairwise(ids)]


def star(n: int) -> list[Edge]:
    """A centre that is not the smallest id, joined to n - 1 leaves."""
    centre = n // 2
    return [(centre, leaf) for leaf in range(1, n + 1) if leaf != centre]


def cycle(n: int, seed: int = 2) -> list[Edge]:
    ids = [int(i) for i in np.random.default_rng(seed).permutation(np.arange(100, 100 + n))]
    return [(ids[i], ids[(i + 1) % n]) for i in range(n)]


def bridged(with_junk: bool) -> list[Edge]:
    """A tree on 10..19 and a star on 20..29; a junk node 1 (a shared test email, say) touches both."""
    tree = [(10 + i, 10 + (i - 1) // 2) for i in range(1, 10)]
    star_ = [(25, leaf) for leaf in range(20, 30) if leaf != 25]
    junk = [(1, 15), (25, 1)] if with_junk else []
    return tree + star_ + junk


MESSY: list[Edge] = [
    (1, 2),
    (2, 1),
    (1, 2),  # duplicates in both directions
    (3, 3),  # an isolated node, given as a self-loop
    (4, None),
    (None, 5),  # a missing partner: the node is kept, isolated
    (None, None),
    (6, 7),
    (7, 6),
    (7, 7),  # a self-loop on a linked node
    (8, 8),
    (8, 8),
]


def random_graph(n_nodes: int, n_edges: int, seed: int) -> list[Edge]:
    """Uniform random edges over random 63-bit ids (negative ones too), plus a few isolated nodes."""
    rng = np.random.default_rng(seed)
    ids = np.unique(rng.integers(-(2**62), 2**62, size=n_nodes))
    ends = rng.integers(0, len(ids), size=(n_edges, 2))
    edges = [(int(ids[a]), int(ids[b])) for a, b in ends]
    return edges + [(int(i), int(i)) for i in ids[:5]]


RANDOM_GRAPHS = {
    f"random_{seed}": random_graph(3000, edges, seed) for seed, edges in enumerate((1000, 1500, 3000, 9000))
}

STRINGS: list[Edge] = [("b", "a"), ("c", "b"), ("x", "y"), ("z", "z")]

PATH_NODES = 2000
FIXTURES: dict[str, list[Edge]] = {
    "path_ordered": path(PATH_NODES, shuffled=False),
    "path_shuffled": path(PATH_NODES, shuffled=True),
    "path_short": path(100, shuffled=True),
    "star": star(1000),
    "cycle": cycle(500),
    "bridged_with_junk": bridged(with_junk=True),
    "bridged_without_junk": bridged(with_junk=False),
    "messy": MESSY,
    "empty": [],
    **RANDOM_GRAPHS,
}


def expected_components(edges: Sequence[Edge]) -> dict[Node, Node]:
    """Every node of any edge, labelled with the smallest node of its component (scipy)."""
    nodes = sorted({node for edge in edges for node in edge if node is not None})
    index = {node: i for i, node in enumerate(nodes)}
    linked = [(index[a], index[b]) for a, b in edges if a is not None and b is not None]
    pairs = np.array(linked, dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(nodes), len(nodes)))
    _, labels = scipy_connected_components(graph, directed=False)
    smallest: dict[int, Node] = {}
    for node, label in zip(nodes, labels, strict=True):
        smallest.setdefault(label, node)  # nodes are sorted: the first one seen is the minimum
    return {node: smallest[label] for node, label in zip(nodes, labels, strict=True)}


def disjoint_union(names: Sequence[str]) -> list[Edge]:
    """The named (integer) fixtures as one graph, the k-th shifted by k * 10**7 to keep their ids apart."""

    def shift(node: Node, k: int) -> Node:
        return None if node is None else int(node) + k * 10**7

    return [(shift(a, k), shift(b, k)) for k, name in enumerate(names) for a, b in FIXTURES[name]]


def edge_table(edges: Sequence[Edge]) -> pa.Table:
    kind = pa.string() if any(isinstance(node, str) for edge in edges for node in edge) else pa.int64()
    return pa.table(
        {"node_a": pa.array([e[0] for e in edges], kind), "node_b": pa.array([e[1] for e in edges], kind)}
    )


# --------------------------------------------------------------------------------------------------
# dbt in a scratch project
# --------------------------------------------------------------------------------------------------

HOOKED_MODEL = """\
{{ config(
    materialized='table',
    post_hook="{% do cdp.connected_components(
        this, this.incorporate(path={'identifier': 'hooked_components'})
    ) %}",
) }}
select node_a, node_b from {{ source('fixtures', 'messy') }}
"""

CLUSTERS_MODEL = """\
{{ config(materialized='connected_components', max_rounds=var('identity_max_rounds', 64)) }}
select node_a, node_b from {{ source('fixtures', var('cc_fixture', 'messy')) }}
"""

SOURCES = """\
version: 2
sources:
  - name: fixtures
    schema: "{{ target.schema }}"
    tables:
      - name: messy
      - name: path_shuffled
"""


class DbtError(Exception):
    pass


class Project:
    """A scratch dbt project `cdp` with copies of the macro files, run with the repository profiles."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "data" / "dev").mkdir(parents=True)
        (root / "data" / "tmp").mkdir()
        (root / "models").mkdir()
        (root / "dbt_project.yml").write_text(
            'name: cdp\nversion: "0.1.0"\nconfig-version: 2\nprofile: cdp\n'
            'macro-paths: ["macros"]\nmodel-paths: ["models"]\n'
            "flags:\n  send_anonymous_usage_stats: false\n"
        )
        (root / "macros").mkdir()
        for macro in MACRO_FILES:
            shutil.copy(macro, root / "macros")
        (root / "models" / "_fixtures__sources.yml").write_text(SOURCES)
        (root / "models" / "clusters.sql").write_text(CLUSTERS_MODEL)
        (root / "models" / "hooked.sql").write_text(HOOKED_MODEL)
        self.environment = {
            "CDP_DATA_DIR": str(root / "data"),
            "CDP_SPARK_SCHEMA": "cc_test",
            "CDP_SPARK_SHUFFLE_PARTITIONS": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "SNOWFLAKE_ACCOUNT": "fakesnow",
            "SNOWFLAKE_USER": "fakesnow",
            "SNOWFLAKE_PASSWORD": "fakesnow",
            "SNOWFLAKE_DATABASE": "CDP",
            "SNOWFLAKE_SCHEMA": "CC_TEST",
        }
        self.duckdb_path = root / "data" / "dev" / "warehouse.duckdb"

    def dbt(self, *args: str, target: str = "dev") -> list[str]:
        """Runs dbt; returns its messages, or raises DbtError with them."""
        messages: list[str] = []
        saved = {name: os.environ.get(name) for name in self.environment}
        os.environ.update(self.environment)
        try:
            result = dbtRunner(callbacks=[lambda event: messages.append(event.info.msg)]).invoke(
                [*args, "--project-dir", str(self.root), "--profiles-dir", str(REPO), "--target", target]
            )
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        if not result.success:
            raise DbtError("\n".join(str(message) for message in messages))
        return messages

    def components(self, edges: str, output: str, target: str = "dev", **arguments: Any) -> dict[str, Any]:
        """dbt run-operation run_connected_components; returns the JSON summary it prints."""
        arguments = {"edges": edges, "output": output, **arguments}
        messages = self.dbt(
            "run-operation", "run_connected_components", "--args", json.dumps(arguments), target=target
        )
        return next(json.loads(m) for m in messages if m.startswith("{") and '"connected_components"' in m)

    def duckdb(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.duckdb_path))

    def duckdb_rows(self, table: str) -> dict[Node, Node]:
        with self.duckdb() as connection:
            return dict(connection.execute(f"select node_id, component_id from {table}").fetchall())


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("cc_project"))
    with project.duckdb() as connection:
        for name, edges in [*FIXTURES.items(), ("strings", STRINGS)]:
            fixture_edges = edge_table(edges)  # noqa: F841  (read by DuckDB's replacement scan)
            connection.execute(f"create table {name} as select * from fixture_edges")
    return project


@pytest.fixture(scope="module")
def duckdb_results(project: Project) -> dict[str, dict[str, Any]]:
    """Each fixture through run-operation on DuckDB: the summary, plus the output rows."""
    results = {}
    for name in FIXTURES:
        summary = project.components(name, f"{name}_components")
        results[name] = {"summary": summary, "rows": project.duckdb_rows(f"{name}_components")}
    return results


# --------------------------------------------------------------------------------------------------
# DuckDB
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [name for name in FIXTURES if name != "empty"])
def test_components_match_scipy(duckdb_results: dict[str, dict[str, Any]], name: str) -> None:
    result = duckdb_results[name]
    expected = expected_components(FIXTURES[name])
    assert result["rows"] == expected
    assert result["summary"]["nodes"] == len(expected)
    assert result["summary"]["components"] == len(set(expected.values()))


@pytest.mark.parametrize("name", ["path_ordered", "path_shuffled"])
def test_path_needs_logarithmic_rounds(duckdb_results: dict[str, dict[str, Any]], name: str) -> None:
    """Min-label propagation needs n - 1 rounds on the ordered path; contraction needs O(log n)."""
    summary = duckdb_results[name]["summary"]
    assert set(duckdb_results[name]["rows"].values()) == {1}
    assert summary["rounds"] <= 2 + 2 * math.ceil(math.log2(PATH_NODES)), summary["per_round"]
    remaining = [r["edges_remaining"] for r in summary["per_round"]]
    assert remaining[-1] == 0 and all(later <= earlier for earlier, later in itertools.pairwise(remaining))


def test_junk_node_bridges_two_components(duckdb_results: dict[str, dict[str, Any]]) -> None:
    assert set(duckdb_results["bridged_with_junk"]["rows"].values()) == {1}
    without = duckdb_results["bridged_without_junk"]["rows"]
    assert 1 not in without and set(without.values()) == {10, 20}


def test_self_loops_duplicates_and_isolated_nodes(duckdb_results: dict[str, dict[str, Any]]) -> None:
    assert duckdb_results["messy"]["rows"] == {1: 1, 2: 1, 3: 3, 4: 4, 5: 5, 6: 6, 7: 6, 8: 8}


def test_empty_edge_table(project: Project, duckdb_results: dict[str, dict[str, Any]]) -> None:
    summary = duckdb_results["empty"]["summary"]
    assert (summary["nodes"], summary["components"], summary["rounds"]) == (0, 0, 1)
    with project.duckdb() as connection:
        columns = connection.execute("describe empty_components").fetchall()
    assert [(c[0], c[1]) for c in columns] == [("node_id", "BIGINT"), ("component_id", "BIGINT")]


def test_summary(duckdb_results: dict[str, dict[str, Any]]) -> None:
    summary = duckdb_results["random_3"]["summary"]
    assert [r["round"] for r in summary["per_round"]] == list(range(1, summary["rounds"] + 1))
    assert summary["per_round"][-1]["edges_remaining"] == 0
    assert summary["seconds"] <= summary["operation_seconds"]


def test_deterministic(project: Project, duckdb_results: dict[str, dict[str, Any]]) -> None:
    again = project.components("random_2", "random_2_again")
    assert project.duckdb_rows("random_2_again") == duckdb_results["random_2"]["rows"]
    first = duckdb_results["random_2"]["summary"]["per_round"]
    assert [(r["edges_remaining"], r["nodes_merged"]) for r in again["per_round"]] == [
        (r["edges_remaining"], r["nodes_merged"]) for r in first
    ]


def test_string_ids(project: Project) -> None:
    project.components("strings", "strings_components")
    assert project.duckdb_rows("strings_components") == {
        "a": "a",
        "b": "a",
        "c": "a",
        "x": "x",
        "y": "x",
        "z": "z",
    }


def test_column_names(project: Project) -> None:
    with project.duckdb() as connection:
        connection.execute("create table renamed as select node_a as record_a, node_b as record_b from messy")
    project.components("renamed", "renamed_components", node_a="record_a", node_b="record_b")
    assert project.duckdb_rows("renamed_components") == expected_components(MESSY)


def test_max_rounds_exceeded(project: Project) -> None:
    with pytest.raises(DbtError, match=r"did not converge within max_rounds=3 rounds \(\d+ edges"):
        project.components("path_ordered", "path_ordered_capped", max_rounds=3)


def test_materialization(project: Project) -> None:
    project.dbt("run", "--select", "clusters")
    project.dbt("run", "--select", "clusters")  # replaces the table it built
    assert project.duckdb_rows("clusters") == expected_components(MESSY)
    with project.duckdb() as connection:
        rounds = connection.execute("select * from clusters__rounds order by round").fetchall()
        columns = [c[0] for c in connection.execute("describe clusters__rounds").fetchall()]
        leftovers = connection.execute(
            "select table_name from duckdb_tables() where starts_with(table_name, 'clusters')"
        )
        assert sorted(t for (t,) in leftovers.fetchall()) == ["clusters", "clusters__rounds"]
    assert columns == ["round", "edges_remaining", "nodes_merged", "seconds"]
    assert [r[:3] for r in rounds] == [(1, 0, 2)]  # 2 and 7 merge into 1 and 6


def test_materialization_max_rounds(project: Project) -> None:
    variables = json.dumps({"cc_fixture": "path_shuffled", "identity_max_rounds": 2})
    with pytest.raises(DbtError, match="did not converge within max_rounds=2"):
        project.dbt("run", "--select", "clusters", "--vars", variables)
    project.dbt("run", "--select", "clusters", "--vars", json.dumps({"cc_fixture": "path_shuffled"}))
    assert set(project.duckdb_rows("clusters").values()) == {1}


def test_model_hook(project: Project) -> None:
    project.dbt("run", "--select", "hooked")
    assert project.duckdb_rows("hooked_components") == expected_components(MESSY)


# --------------------------------------------------------------------------------------------------
# Spark and Snowflake: the fixtures as one disjoint union (one run: rounds are the slow part there)
# --------------------------------------------------------------------------------------------------

UNION = ["path_shuffled", "star", "cycle", "bridged_with_junk", "messy", "random_0", "random_3"]
# Spark takes about a second a statement even on tiny graphs: a short path keeps its rounds few.
SPARK_UNION = ["path_short", "star", "bridged_with_junk", "messy", "random_0", "random_3"]


@pytest.fixture(scope="module")
def spark(project: Project) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    stop_spark()  # a session another test left would be reused with its settings (getOrCreate)
    spark_dir = project.root / "data" / "spark"
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.warehouse.dir", str(spark_dir / "spark-warehouse"))
        .config("spark.driver.extraJavaOptions", LOCAL_JVM_OPTIONS)
        .getOrCreate()
    )
    location = spark_dir / "cc_test.db"
    session.sql(f"create database if not exists cc_test location '{location}'")
    try:
        yield session
    finally:
        session.sql("drop database if exists cc_test cascade")
        stop_spark()  # dbt-spark changed its settings (TIMESTAMP_NTZ, ...): later tests start their own


@pytest.mark.spark
def test_spark(project: Project, spark: Any) -> None:
    for name, edges in [("cc_union", disjoint_union(SPARK_UNION)), ("messy", MESSY)]:
        frame = spark.createDataFrame(edges, "node_a bigint, node_b bigint")
        frame.write.mode("overwrite").saveAsTable(f"cc_test.{name}")

    def rows(table: str) -> dict[Node, Node]:
        return {r.node_id: r.component_id for r in spark.table(f"cc_test.{table}").collect()}

    summary = project.components("cc_union", "cc_union_components", target="spark")
    assert rows("cc_union_components") == expected_components(disjoint_union(SPARK_UNION))
    assert summary["rounds"] > 2  # hashed rounds (xxhash64) ran too
    project.dbt("run", "--select", "clusters", target="spark")
    assert rows("clusters") == expected_components(MESSY)
    assert [r.round for r in spark.table("cc_test.clusters__rounds").collect()] == [1]
    tables = {r.tableName for r in spark.sql("show tables in cc_test").collect()}
    assert tables == {"cc_union", "cc_union_components", "messy", "clusters", "clusters__rounds"}


@pytest.fixture
def fakesnow_sql(project: Project) -> Iterator[list[str]]:
    """Patches snowflake.connector with fakesnow for the test; yields every statement sent to it."""
    fakesnow = pytest.importorskip("fakesnow")
    from fakesnow.cursor import FakeSnowflakeCursor

    statements: list[str] = []
    execute: Callable[..., Any] = FakeSnowflakeCursor.execute

    def recording_execute(self: Any, command: str, *args: Any, **kwargs: Any) -> Any:
        statements.append(command)
        return execute(self, command, *args, **kwargs)

    database = project.root / "data" / "fakesnow"
    database.mkdir(exist_ok=True)
    with pytest.MonkeyPatch.context() as patch, fakesnow.patch(db_path=str(database)):
        patch.setattr(FakeSnowflakeCursor, "execute", recording_execute)
        yield statements


@pytest.mark.snowflake
def test_snowflake_on_fakesnow(project: Project, fakesnow_sql: list[str]) -> None:
    import snowflake.connector
    import sqlglot

    connection = snowflake.connector.connect(database="CDP", schema="CC_TEST")
    cursor = connection.cursor()
    cursor.execute("create schema if not exists CDP.CC_TEST")
    for name, edges in [("CC_UNION", disjoint_union(UNION)), ("EMPTY", [])]:
        cursor.execute(f"create or replace table CDP.CC_TEST.{name} (node_a bigint, node_b bigint)")
        if edges:
            values = ", ".join(f"({a}, {b})" for a, b in edges).replace("None", "null")
            cursor.execute(f"insert into CDP.CC_TEST.{name} values {values}")
    fakesnow_sql.clear()

    project.components("cc_union", "cc_union_components", target="snowflake")
    project.components("empty", "empty_components", target="snowflake")
    macro_sql = list(fakesnow_sql)
    cursor.execute("select node_id, component_id from CDP.CC_TEST.CC_UNION_COMPONENTS")
    assert dict(cursor.fetchall()) == expected_components(disjoint_union(UNION))
    cursor.execute("select count(*) from CDP.CC_TEST.EMPTY_COMPONENTS")
    assert cursor.fetchone() == (0,)

    ours = [sql for sql in macro_sql if "__cc_" in sql.lower() or "_components" in sql.lower()]
    assert any("min_by(" in sql.lower() and "hash(" in sql.lower() for sql in ours)
    for sql in ours:
        sqlglot.parse_one(sql, read="snowflake")
