"""Benchmark of the connected_components macro against Splink and scipy, on the same DuckDB edge tables.

    .venv/bin/python bench/connected_components.py [--repeat 3] [--graphs forest_10m,path_1m_ordered]
    .venv/bin/python bench/connected_components.py --spark    # and the macro on Spark, up to 1M nodes

Graphs (integer ids, written to bench/work/connected_components/data/dev/warehouse.duckdb):
  forest_*     a CDP-like identity forest: trees and stars with skewed (Zipf) sizes, 5% singletons given as
               self-loop edges, plus long chains; ids shuffled. forest_10m: 10M nodes, about 7.85M edges.
  path_*       a simple path, ids shuffled or increasing along it (min-label propagation's worst case).

Engines, each timed on its own (medians of --repeat runs, interleaved):
  ours    `dbt run-operation run_connected_components` (the repository's profiles.yml, target dev). Reported:
          the macro's own elapsed time (dbt start-up excluded, as Splink's import is) and the end-to-end
          run-operation wall time of the dbt process.
  splink  splink.clustering.cluster_pairwise_predictions_at_threshold on a DuckDB connection to the same
          file with the same settings (its nodes table is prepared beforehand, untimed).
  scipy   fetch the edges (numpy), pd.factorize the ids, csgraph.connected_components, label each component
          with its minimum id: the in-memory floor (no write-back). The csgraph call alone is also reported.
  spark   (--spark) the same run-operation with `--target spark` (dbt-spark's session method, PySpark local
          mode) through dbtRunner in this process, so the JVM starts once (timed apart, before the first
          graph). The edge table goes to Spark as Parquet (an external table, untimed); the clusters come
          back as Parquet into DuckDB to be compared. Only graphs up to --spark-max-nodes nodes.

Every engine's clusters must be identical (all label a component with its minimum node id). Results go to
bench/results/connected_components.{json,md} (connected_components_spark with --spark; --output names them);
bench/README.md ("Connected components") quotes them.

dbt runs in a scratch project named cdp whose only macros are copies of the macro's files in macros/identity
(so half-written models elsewhere cannot stop it); pass --project-dir . to run in the repository itself.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from splink import DuckDBAPI
from splink.clustering import cluster_pairwise_predictions_at_threshold

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "bench" / "work" / "connected_components"
DATA_DIR = WORK / "data"
DATABASE = DATA_DIR / "dev" / "warehouse.duckdb"
PARQUET = WORK / "parquet"
RESULTS = REPO / "bench" / "results"
DBT = Path(sys.executable).with_name("dbt")

# The targets of the issue, on the 10M-node forest.
TARGET_VS_SPLINK = 0.5
TARGET_VS_SCIPY = 3.0


# --------------------------------------------------------------------------------------------------
# Graphs
# --------------------------------------------------------------------------------------------------


def cdp_forest(n_nodes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Trees and stars of Zipf(2.2) + 1 sizes (at most 20,000), 5% singletons, long chains; ids shuffled."""
    rng = np.random.default_rng(seed)
    scale = n_nodes / 10_000_000
    chains = [max(2, int(length * scale)) for length in (100_000, 50_000, 20_000, 20_000, *[10_000] * 5)]
    chains += [max(2, int(1_000 * scale))] * 50
    n_singletons = n_nodes // 20
    n_tree_nodes = n_nodes - n_singletons - sum(chains)

    sizes = rng.zipf(2.2, n_tree_nodes) + 1
    sizes = sizes[sizes <= 20_000]
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n_tree_nodes)]
    rest = n_tree_nodes - sizes.sum()
    if rest == 1:
        sizes[-1] += 1
    else:
        sizes = np.append(sizes, rest)  # one more tree takes the rest
    offsets = np.cumsum(sizes) - sizes
    tree = np.repeat(np.arange(len(sizes)), sizes)
    position = np.arange(n_tree_nodes) - offsets[tree]
    children = np.flatnonzero(position > 0)
    # Half the trees are stars (one shared identifier); the others attach each node to a random earlier one.
    is_star = rng.random(len(sizes)) < 0.5
    parent_position = np.where(
        is_star[tree[children]], 0, np.floor(rng.random(len(children)) * position[children]).astype(np.int64)
    )
    node_a = [children]
    node_b = [offsets[tree[children]] + parent_position]
    start = n_tree_nodes
    for length in chains:
        node_a.append(np.arange(start + 1, start + length))
        node_b.append(np.arange(start, start + length - 1))
        start += length
    singletons = np.arange(start, start + n_singletons)
    node_a.append(singletons)
    node_b.append(singletons)

    ids = rng.permutation(n_nodes).astype(np.int64) + 1
    a, b = ids[np.concatenate(node_a)], ids[np.concatenate(node_b)]
    flip = rng.random(len(a)) < 0.5
    order = rng.permutation(len(a))
    return np.where(flip, b, a)[order], np.where(flip, a, b)[order]


def path(n_nodes: int, shuffled: bool, seed: int) -> tuple[np.ndarray, np.ndarray]:
    ids = np.arange(1, n_nodes + 1, dtype=np.int64)
    if shuffled:
        ids = np.random.default_rng(seed).permutation(ids)
    return ids[:-1], ids[1:]


@dataclass(frozen=True)
class Graph:
    name: str
    description: str
    build: Callable[[], tuple[np.ndarray, np.ndarray]]
    # Splink's min-label propagation needs n - 1 rounds on an ordered path (6 minutes for 5,000 nodes here):
    # at most this many Splink runs, whatever --repeat.
    splink_runs: int = 1_000


GRAPHS = [
    Graph("forest_10m", "CDP-like forest, 10M nodes", lambda: cdp_forest(10_000_000, seed=7)),
    Graph("forest_1m", "CDP-like forest, 1M nodes", lambda: cdp_forest(1_000_000, seed=8)),
    Graph("path_1m_shuffled", "path, 1M nodes, shuffled ids", lambda: path(1_000_000, shuffled=True, seed=9)),
    Graph(
        "path_1k_ordered", "path, 1,000 nodes, increasing ids", lambda: path(1_000, False, 0), splink_runs=1
    ),
    Graph(
        "path_5k_ordered", "path, 5,000 nodes, increasing ids", lambda: path(5_000, False, 0), splink_runs=1
    ),
    Graph(
        "path_1m_ordered", "path, 1M nodes, increasing ids", lambda: path(1_000_000, False, 0), splink_runs=0
    ),
]


# --------------------------------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------------------------------


def connect() -> duckdb.DuckDBPyConnection:
    """The benchmark's own connection, with the settings profiles.yml gives dbt (target dev)."""
    return duckdb.connect(
        str(DATABASE),
        config={
            "memory_limit": os.environ.get("CDP_DUCKDB_MEMORY_LIMIT", "12GB"),
            "preserve_insertion_order": False,
            "temp_directory": str(DATA_DIR / "tmp"),
        },
    )


def scratch_project() -> Path:
    project = WORK / "project"
    shutil.rmtree(project, ignore_errors=True)
    (project / "macros").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(
        'name: cdp\nversion: "0.1.0"\nconfig-version: 2\nprofile: cdp\nmacro-paths: ["macros"]\n'
        "flags:\n  send_anonymous_usage_stats: false\n"
    )
    identity = REPO / "macros" / "identity"
    for macro in {*identity.glob("cc_*.sql"), *identity.glob("*connected_components.sql")}:
        shutil.copy(macro, project / "macros")
    return project


def run_ours(graph: str, project: Path) -> dict[str, Any]:
    """dbt run-operation in its own process; the JSON summary plus the process's wall time."""
    arguments = json.dumps({"edges": graph, "output": f"{graph}__ours"})
    command = [str(DBT), "--quiet", "run-operation", "run_connected_components", "--args", arguments]
    command += ["--project-dir", str(project), "--profiles-dir", str(REPO), "--target", "dev"]
    command += ["--target-path", str(WORK / "target"), "--log-path", str(WORK / "logs")]
    environment = {**os.environ, "CDP_DATA_DIR": str(DATA_DIR), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    started = time.perf_counter()
    finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    wall = time.perf_counter() - started
    summaries = [line for line in finished.stdout.splitlines() if '"macro": "connected_components"' in line]
    if finished.returncode != 0 or not summaries:
        raise RuntimeError(f"dbt run-operation failed on {graph}:\n{finished.stdout}\n{finished.stderr}")
    return {**json.loads(summaries[-1]), "wall_seconds": wall}


def run_splink(graph: str) -> dict[str, Any]:
    with connect() as connection:
        api = DuckDBAPI(connection=connection)
        started = time.perf_counter()
        clusters = cluster_pairwise_predictions_at_threshold(
            f"{graph}__nodes",
            graph,
            db_api=api,
            node_id_column_name="node_id",
            edge_id_column_name_left="node_a",
            edge_id_column_name_right="node_b",
        )
        seconds = time.perf_counter() - started
        connection.execute(
            f"create or replace table {graph}__splink as "
            f"select node_id, cluster_id as component_id from {clusters.physical_name}"
        )
        drop_splink_tables(connection)
    return {"seconds": seconds}


def drop_splink_tables(connection: duckdb.DuckDBPyConnection) -> None:
    for (name,) in connection.execute(
        "select table_name from duckdb_tables() where starts_with(table_name, '__splink__')"
    ).fetchall():
        connection.execute(f'drop table "{name}"')


def run_scipy(graph: str) -> dict[str, Any]:
    with connect() as connection:
        started = time.perf_counter()
        edges = connection.execute(f"select node_a, node_b from {graph}").fetchnumpy()
        node_a, node_b = np.asarray(edges["node_a"]), np.asarray(edges["node_b"])
        codes, ids = pd.factorize(np.concatenate([node_a, node_b]))
        n_edges = len(node_a)
        matrix = coo_matrix(
            (np.ones(n_edges, dtype=np.int8), (codes[:n_edges], codes[n_edges:])), shape=(len(ids), len(ids))
        ).tocsr()
        csgraph_started = time.perf_counter()
        n_components, labels = connected_components(matrix, directed=False)
        csgraph_seconds = time.perf_counter() - csgraph_started
        smallest = np.full(n_components, np.iinfo(np.int64).max)
        np.minimum.at(smallest, labels, ids)
        component = smallest[labels]
        seconds = time.perf_counter() - started
        result = pa.table({"node_id": ids, "component_id": component})  # noqa: F841 (replacement scan)
        connection.execute(f"create or replace table {graph}__scipy as select * from result")
    return {"seconds": seconds, "csgraph_seconds": csgraph_seconds, "components": int(n_components)}


class Spark:
    """`dbt run-operation run_connected_components --target spark` through dbtRunner in this process.

    dbt-spark's session method starts the JVM (with the profile's settings) at the first statement, here a
    `dbt show` when the engine is made; later invocations and the benchmark's own loading and reading back
    share that session. Tables live in <data>/spark (warehouse and Derby metastore), schema CDP_SPARK_SCHEMA.
    """

    def __init__(self, project: Path) -> None:
        os.environ.update({"CDP_DATA_DIR": str(DATA_DIR), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
        os.environ.setdefault("CDP_SPARK_SCHEMA", "bench")
        self.project = project
        self.schema = os.environ["CDP_SPARK_SCHEMA"]
        (DATA_DIR / "spark").mkdir(parents=True, exist_ok=True)  # Derby's log goes there
        started = time.perf_counter()
        self.invoke(["show", "--inline", "select 1 as one"])
        self.start_seconds = time.perf_counter() - started

        from pyspark.sql import SparkSession

        self.session = SparkSession.builder.getOrCreate()  # dbt-spark's session
        self.session.sparkContext.setLogLevel("ERROR")
        self.session.sql(f"create schema if not exists {self.schema}")

    def settings(self) -> dict[str, Any]:
        conf = self.session.conf
        return {
            "start_seconds": round(self.start_seconds, 3),
            "java": self.session.sparkContext._jvm.System.getProperty("java.version"),
            **{
                name: conf.get(name)
                for name in (
                    "spark.master",
                    "spark.driver.memory",
                    "spark.sql.shuffle.partitions",
                    "spark.sql.codegen.wholeStage",
                )
            },
        }

    def invoke(self, args: Sequence[str]) -> list[str]:
        """One dbt command on the spark target; what its macros printed (kept off the console)."""
        from dbt.cli.main import dbtRunner

        printed: list[str] = []
        errors: list[str] = []

        def listen(event: Any) -> None:
            if event.info.name == "PrintEvent":
                printed.append(event.data.msg)
            elif event.info.level == "error":
                errors.append(event.info.msg)

        with contextlib.redirect_stdout(io.StringIO()):
            result = dbtRunner(callbacks=[listen]).invoke(
                [*args, "--quiet", "--project-dir", str(self.project), "--profiles-dir", str(REPO),
                 "--target", "spark", "--target-path", str(WORK / "target_spark"),
                 "--log-path", str(WORK / "logs_spark")]
            )  # fmt: skip
        if not result.success:
            errors += [repr(result.exception)] if result.exception is not None else []
            raise RuntimeError(f"dbt {' '.join(args)} failed on Spark:\n" + "\n".join(errors))
        return printed

    def load(self, graph: str) -> None:
        """The DuckDB edge table as Parquet, and a Spark table over it."""
        folder = PARQUET / graph
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with connect() as connection:
            connection.execute(f"copy {graph} to '{folder / 'edges.parquet'}' (format parquet)")
        self.session.sql(f"drop table if exists {self.schema}.{graph}")
        self.session.sql(f"create table {self.schema}.{graph} using parquet location '{folder}'")

    def run(self, graph: str) -> dict[str, Any]:
        """The JSON summary plus the invocation's wall time (dbt's parse included, the JVM's start not)."""
        arguments = {"edges": f"{self.schema}.{graph}", "output": f"{self.schema}.{graph}__spark"}
        started = time.perf_counter()
        printed = self.invoke(["run-operation", "run_connected_components", "--args", json.dumps(arguments)])
        wall = time.perf_counter() - started
        summaries = [line for line in printed if '"macro": "connected_components"' in line]
        if not summaries:
            raise RuntimeError(f"dbt run-operation printed no summary on Spark for {graph}: {printed}")
        return {**json.loads(summaries[-1]), "wall_seconds": wall}

    def fetch(self, graph: str) -> None:
        """The clusters back into DuckDB, as <graph>__spark."""
        folder = PARQUET / f"{graph}__spark"
        self.session.table(f"{self.schema}.{graph}__spark").write.mode("overwrite").parquet(str(folder))
        with connect() as connection:
            connection.execute(
                f"create or replace table {graph}__spark as "
                f"select node_id, component_id from read_parquet('{folder}/*.parquet')"
            )


def mismatches(connection: duckdb.DuckDBPyConnection, left: str, right: str) -> int:
    return connection.execute(
        f"select count(*) from {left} as l full outer join {right} as r on l.node_id = r.node_id "
        "where l.component_id is distinct from r.component_id"
    ).fetchone()[0]


# --------------------------------------------------------------------------------------------------
# Run and report
# --------------------------------------------------------------------------------------------------


def load(graphs: list[Graph]) -> dict[str, dict[str, int]]:
    (DATA_DIR / "dev").mkdir(parents=True, exist_ok=True)
    (DATA_DIR / "tmp").mkdir(parents=True, exist_ok=True)
    sizes = {}
    with connect() as connection:
        for graph in graphs:
            node_a, node_b = graph.build()
            edges = pa.table({"node_a": node_a, "node_b": node_b})  # noqa: F841 (replacement scan)
            connection.execute(f"create or replace table {graph.name} as select * from edges")
            connection.execute(
                f"create or replace table {graph.name}__nodes as "
                f"select node_a as node_id from {graph.name} union select node_b from {graph.name}"
            )
            nodes = connection.execute(f"select count(*) from {graph.name}__nodes").fetchone()[0]
            sizes[graph.name] = {"nodes": nodes, "edges": len(node_a)}
            print(f"built {graph.name}: {nodes:,} nodes, {len(node_a):,} edges", flush=True)
    return sizes


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def with_load(run: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """The run's result plus the 1-minute load average after it: the machine is shared (2 cores here)."""
    result = run(*args)
    return {**result, "load_average": round(os.getloadavg()[0], 2)}


def benchmark(graph: Graph, repeat: int, project: Path, splink: bool, spark: Spark | None) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "splink": [], "scipy": [], "spark": []}
    if spark:
        spark.load(graph.name)
    for attempt in range(repeat):
        runs["ours"].append(with_load(run_ours, graph.name, project))
        if splink and attempt < graph.splink_runs:
            runs["splink"].append(with_load(run_splink, graph.name))
        runs["scipy"].append(with_load(run_scipy, graph.name))
        if spark:
            runs["spark"].append(with_load(spark.run, graph.name))
        print(
            f"  {graph.name} run {attempt + 1}: ours {runs['ours'][-1]['seconds']:.2f} s "
            f"(run-operation {runs['ours'][-1]['wall_seconds']:.2f} s), "
            + (f"splink {runs['splink'][-1]['seconds']:.2f} s, " if attempt < len(runs["splink"]) else "")
            + f"scipy {runs['scipy'][-1]['seconds']:.2f} s"
            + (
                f", spark {runs['spark'][-1]['seconds']:.2f} s in {runs['spark'][-1]['rounds']} rounds "
                f"(run-operation {runs['spark'][-1]['wall_seconds']:.2f} s)"
                if spark
                else ""
            ),
            flush=True,
        )
    if spark:
        spark.fetch(graph.name)
    with connect() as connection:
        identical = {
            engine: mismatches(connection, f"{graph.name}__ours", f"{graph.name}__{engine}") == 0
            for engine in ("scipy", "splink", "spark")
            if runs[engine]
        }
    ours = median([run["seconds"] for run in runs["ours"]])
    splink_seconds = median([run["seconds"] for run in runs["splink"]])
    scipy_seconds = median([run["seconds"] for run in runs["scipy"]])
    spark_seconds = median([run["seconds"] for run in runs["spark"]])
    return {
        "graph": graph.name,
        "description": graph.description,
        "rounds": runs["ours"][-1]["rounds"],
        "components": runs["ours"][-1]["components"],
        "ours_seconds": ours,
        "ours_run_operation_seconds": median([run["wall_seconds"] for run in runs["ours"]]),
        "splink_seconds": splink_seconds,
        "scipy_seconds": scipy_seconds,
        "scipy_csgraph_seconds": median([run["csgraph_seconds"] for run in runs["scipy"]]),
        "load_average": median([run["load_average"] for engine in runs.values() for run in engine]),
        "ours_vs_splink": round(ours / splink_seconds, 3) if splink_seconds else None,
        "ours_vs_scipy": round(ours / scipy_seconds, 3),
        "spark_rounds": runs["spark"][-1]["rounds"] if spark else None,
        "spark_seconds": spark_seconds,
        "spark_run_operation_seconds": median([run["wall_seconds"] for run in runs["spark"]]),
        "spark_vs_ours": round(spark_seconds / ours, 3) if spark_seconds else None,
        "identical": identical,
        "per_round": runs["ours"][-1]["per_round"],
        "spark_per_round": runs["spark"][-1]["per_round"] if spark else None,
        "runs": runs,
    }


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def markdown(
    results: list[dict[str, Any]], sizes: dict[str, dict[str, int]], repeat: int, spark_start: float | None
) -> str:
    lines = [
        f"Seconds, medians of {repeat} runs (Splink: one run on the ordered paths). *ours* = the macro's "
        "own time (dbt start-up excluded); *run-op* = the whole `dbt run-operation` process. scipy = fetch "
        "+ factorize + csgraph + min-id labels (csgraph alone in brackets). *load* = median 1-minute load "
        "average after the runs (the machine is shared).",
        "",
        "| graph | nodes | edges | rounds | ours | run-op | Splink | scipy "
        "| ours/Splink | ours/scipy | identical | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for result in results:
        size = sizes[result["graph"]]
        identical = ", ".join(
            f"{engine} {'yes' if same else 'NO'}" for engine, same in result["identical"].items()
        )
        lines.append(
            f"| {result['graph']} | {size['nodes']:,} | {size['edges']:,} | {result['rounds']} "
            f"| {seconds(result['ours_seconds'])} | {seconds(result['ours_run_operation_seconds'])} "
            f"| {seconds(result['splink_seconds'])} "
            f"| {seconds(result['scipy_seconds'])} ({seconds(result['scipy_csgraph_seconds'])}) "
            f"| {ratio(result['ours_vs_splink'])} | {ratio(result['ours_vs_scipy'])} | {identical} "
            f"| {result['load_average']:.1f} |"
        )
    forest = next((r for r in results if r["graph"] == "forest_10m"), None)
    if forest and forest["ours_vs_splink"] is not None:
        verdict = (
            forest["ours_vs_splink"] <= TARGET_VS_SPLINK and forest["ours_vs_scipy"] <= TARGET_VS_SCIPY
        ) and all(forest["identical"].values())
        lines += [
            "",
            f"Target on forest_10m: at most {TARGET_VS_SPLINK}x Splink and {TARGET_VS_SCIPY}x scipy with "
            f"identical clusters: {'met' if verdict else 'NOT met'} "
            f"({ratio(forest['ours_vs_splink'])} Splink, {ratio(forest['ours_vs_scipy'])} scipy).",
        ]
    on_spark = [result for result in results if result["spark_seconds"] is not None]
    if on_spark and spark_start is not None:
        lines += [
            "",
            "The same macro on Spark (`--target spark`: dbt-spark's session method, PySpark local mode), "
            "in the same runs: *Spark* = the macro's own time; *run-op* = the dbt invocation in the "
            f"benchmark's process, parse included, the JVM's start ({spark_start:.1f} s, once) excluded. "
            "Rounds may differ from DuckDB's: after the two min-id rounds nodes are ordered by the engine's "
            "hash (xxhash64 on Spark).",
            "",
            "| graph | nodes | rounds DuckDB | rounds Spark | ours | Spark | Spark run-op | Splink | scipy "
            "| Spark/ours | identical | load |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
        ]
        for result in on_spark:
            lines.append(
                f"| {result['graph']} | {sizes[result['graph']]['nodes']:,} | {result['rounds']} "
                f"| {result['spark_rounds']} | {seconds(result['ours_seconds'])} "
                f"| {seconds(result['spark_seconds'])} | {seconds(result['spark_run_operation_seconds'])} "
                f"| {seconds(result['splink_seconds'])} | {seconds(result['scipy_seconds'])} "
                f"| {ratio(result['spark_vs_ours'])} | {'yes' if result['identical']['spark'] else 'NO'} "
                f"| {result['load_average']:.1f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per engine and graph (medians reported)")
    parser.add_argument("--graphs", default=",".join(g.name for g in GRAPHS), help="comma-separated names")
    parser.add_argument("--no-splink", action="store_true", help="skip Splink")
    parser.add_argument("--spark", action="store_true", help="also run the macro on Spark (target spark)")
    parser.add_argument(
        "--spark-max-nodes", type=int, default=1_000_000, help="largest graph run on Spark (default 1M nodes)"
    )
    parser.add_argument("--project-dir", type=Path, default=None, help="dbt project (default: a scratch one)")
    parser.add_argument(
        "--output",
        default=None,
        help="name of the files in bench/results (default connected_components, _spark with --spark)",
    )
    args = parser.parse_args()
    output = args.output or ("connected_components_spark" if args.spark else "connected_components")

    chosen = [graph for graph in GRAPHS if graph.name in args.graphs.split(",")]
    project = args.project_dir.resolve() if args.project_dir else scratch_project()
    sizes = load(chosen)
    spark = Spark(project) if args.spark else None
    results = [
        benchmark(
            graph,
            args.repeat,
            project,
            splink=not args.no_splink,
            spark=spark if sizes[graph.name]["nodes"] <= args.spark_max_nodes else None,
        )
        for graph in chosen
    ]

    table = markdown(results, sizes, args.repeat, spark.start_seconds if spark else None)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{output}.md").write_text(table)
    packages = [
        "dbt-core",
        "dbt-duckdb",
        "duckdb",
        "splink",
        "scipy",
        *(["dbt-spark", "pyspark"] if spark else []),
    ]
    report = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "versions": {name: importlib.metadata.version(name) for name in packages},
        "spark": spark.settings() if spark else None,
        "repeat": args.repeat,
        "project_dir": str(project),
        "sizes": sizes,
        "results": results,
    }
    (RESULTS / f"{output}.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
