"""End-to-end benchmark: `make bench SCALE=<customers>`.

Generates a sample of SCALE customers (about 12 source rows each), runs the full dbt build on DuckDB, then
two incremental runs of a ~1% batch each on top of it and one with nothing new landed, and writes
bench/results/<date>-<scale>.md and .json with: wall time and peak memory of each run and of each model
(dbt's run_results.json timings; memory sampled from the dbt process), rows per model, the
connected-components round count, and accuracy against the ground truth. Data lives under
bench/work/scale_<scale>/ (git-ignored).
The project is parsed once first, as a deployment prepares it; every build starts from that manifest
(partial parsing), as dagster-dbt's DbtCliResource runs dbt.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

PROJECT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = PROJECT / "bench" / "results"


def _rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, from /proc (KiB)."""
    total = 0
    try:
        children = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        for proc in [str(pid), *children]:
            with open(f"/proc/{proc}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass
    return total


@dataclass
class Sampled:
    """A command's wall time and its memory over time (sampled every 0.2 s)."""

    seconds: float
    peak_mib: float
    samples: list[tuple[float, float]] = field(default_factory=list)  # (unix time, MiB)
    cpu_seconds: float = 0.0  # user + system time of the command: comparable on a busy machine
    returncode: int = 0
    output: str = ""


def run_sampled(command: list[str], env: dict[str, str], log: Path) -> Sampled:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.time()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT)
        samples: list[tuple[float, float]] = []
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                samples.append((time.time(), _rss_kib(process.pid) / 1024))
                done.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = process.wait()
        done.set()
        sampler.join()
    seconds = time.time() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak = max((mib for _, mib in samples), default=0.0)
    return Sampled(
        seconds=seconds,
        peak_mib=peak,
        samples=samples,
        cpu_seconds=round(cpu, 1),
        returncode=returncode,
        output=log.read_text()[-4000:],
    )


def dbt_env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT),
        "CDP_DATA_DIR": str(data_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def dbt_parse(data_dir: Path) -> Sampled:
    """Parse the project once, as a deployment prepares it (`dagster-dbt project prepare-and-package`, or
    DbtProject.prepare_if_dev): dbt writes target-parse/partial_parse.msgpack."""
    command = [
        str(BIN / "dbt"), "parse", "--target", "dev", "--target-path", str(data_dir / "target-parse"),
        "--log-path", str(data_dir / "logs"),
    ]  # fmt: skip
    result = run_sampled(command, dbt_env(data_dir), data_dir / "dbt-parse.log")
    if result.returncode != 0:
        raise SystemExit(f"dbt parse failed:\n{result.output}")
    return result


def dbt_build(data_dir: Path, label: str, extra: list[str]) -> tuple[Sampled, list[dict[str, Any]]]:
    """`dbt build` into its own target path, starting from the prepared manifest's partial_parse.msgpack:
    what dagster-dbt's DbtCliResource does for every run, so a run reparses only what changed."""
    target_path = data_dir / f"target-{label}"
    shutil.rmtree(target_path, ignore_errors=True)
    target_path.mkdir(parents=True)
    shutil.copy(data_dir / "target-parse" / "partial_parse.msgpack", target_path / "partial_parse.msgpack")
    command = [
        str(BIN / "dbt"), "build", "--target", "dev", "--exclude", "test_type:unit",
        "--target-path", str(target_path), "--log-path", str(data_dir / "logs"), *extra,
    ]  # fmt: skip
    result = run_sampled(command, dbt_env(data_dir), data_dir / f"dbt-{label}.log")
    if result.returncode != 0:
        raise SystemExit(f"dbt build ({label}) failed:\n{result.output}")
    run_results = json.loads((target_path / "run_results.json").read_text())
    nodes = []
    for node in run_results["results"]:
        timing = {t["name"]: t for t in node.get("timing", [])}
        execute = timing.get("execute", {})
        started = _ts(execute.get("started_at"))
        completed = _ts(execute.get("completed_at"))
        window = [mib for at, mib in result.samples if started and completed and started <= at <= completed]
        peak = max(window, default=None)
        nodes.append({
            "unique_id": node["unique_id"], "status": node["status"],
            "seconds": round(node.get("execution_time", 0.0), 2),
            "peak_mib": round(peak, 1) if peak is not None else None,
        })  # fmt: skip
    return result, nodes


def _incremental_summary(run: Sampled, full: Sampled) -> dict[str, Any]:
    return {
        "seconds": round(run.seconds, 1),
        "cpu_seconds": run.cpu_seconds,
        "peak_mib": round(run.peak_mib),
        "share_of_full": round(run.seconds / full.seconds, 3),
        "cpu_share_of_full": round(run.cpu_seconds / full.cpu_seconds, 3),
    }


def _summed_seconds(nodes: list[dict[str, Any]]) -> str:
    """Seconds summed over the models and over the data tests of one run (dbt runs two nodes at a time)."""
    models = sum(n["seconds"] for n in nodes if n["unique_id"].startswith("model."))
    tests = sum(n["seconds"] for n in nodes if n["unique_id"].startswith("test."))
    return f"nodes summed: models {models:.1f} s, data tests {tests:.1f} s"


def _ts(value: str | None) -> float | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() if value else None


def warehouse_stats(data_dir: Path) -> dict[str, Any]:
    con = duckdb.connect(str(data_dir / "dev" / "warehouse.duckdb"), read_only=True)
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema like 'main_%' and table_type = 'BASE TABLE' order by 1, 2"
    ).fetchall()
    rows = {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchall()[0][0] for s, t in tables}
    rounds = {}
    for name in ("int_identity_components__rounds", "int_identity_layered_components__rounds"):
        if f"main_intermediate.{name}" in rows:
            rounds[name] = con.execute(f"select count(*) from main_intermediate.{name}").fetchall()[0][0]
    con.close()
    source_rows = sum(v for k, v in rows.items() if k.startswith("main_staging."))
    return {"rows_per_model": rows, "staging_rows": source_rows, "identity_rounds": rounds}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--batch-fraction", type=float, default=0.01)
    parser.add_argument("--skip-incremental", action="store_true")
    parser.add_argument("--no-evaluate", action="store_true")
    args = parser.parse_args(argv)

    data_dir = PROJECT / "bench" / "work" / f"scale_{args.customers}"
    landing = data_dir / "dev" / "landing"
    report: dict[str, Any] = {
        "customers": args.customers,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load_before": os.getloadavg()},
    }
    data_dir.mkdir(parents=True, exist_ok=True)  # a fresh clone has no bench/work yet
    if (data_dir / "dev" / "truth" / "batches").exists():
        # A previous run added its batch to this sample (landing and truth): start again from a new sample.
        shutil.rmtree(data_dir / "dev")
    if not (landing / ".complete").exists():
        generate = run_sampled(
            [str(BIN / "cdp-generate"), "--customers", str(args.customers), "--seed", str(args.seed),
             "--out", str(data_dir / "dev")],
            dict(os.environ), data_dir.parent / f"generate-{args.customers}.log",
        )  # fmt: skip
        report["generate"] = {
            "seconds": round(generate.seconds, 1),
            "cpu_seconds": generate.cpu_seconds,
            "peak_mib": round(generate.peak_mib),
        }
    warehouse = data_dir / "dev" / "warehouse.duckdb"
    warehouse.unlink(missing_ok=True)

    parse = dbt_parse(data_dir)
    report["parse"] = {"seconds": round(parse.seconds, 1), "cpu_seconds": parse.cpu_seconds}
    full, full_nodes = dbt_build(data_dir, "full", [])
    report["full_build"] = {
        "seconds": round(full.seconds, 1),
        "cpu_seconds": full.cpu_seconds,
        "peak_mib": round(full.peak_mib),
    }
    report["full_build_nodes"] = sorted(full_nodes, key=lambda n: -n["seconds"])
    report.update(warehouse_stats(data_dir))
    report["load_after_full"] = os.getloadavg()

    if not args.no_evaluate:
        sys.path.insert(0, str(PROJECT / "sample"))
        from cdp_sample.evaluate import score

        report["accuracy"] = score(warehouse, data_dir / "dev" / "truth").__dict__

    if not args.skip_incremental:
        # Batch 1 is the first incremental run after the full build; batch 2 an hourly run in steady state
        # (some models relabel or restamp every row once after a full build, e.g. the stable ids).
        for batch_number, key in ((1, "incremental_build"), (2, "incremental_build_2")):
            batch = subprocess.run(
                [str(BIN / "cdp-generate"), "--customers", str(args.customers), "--seed", str(args.seed),
                 "--out", str(data_dir / "dev"), "--batch", str(batch_number),
                 "--batch-fraction", str(args.batch_fraction)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            report[f"batch_{batch_number}_generation"] = batch.stdout.strip().splitlines()[-1:]
            label = "incremental" if batch_number == 1 else f"incremental-{batch_number}"
            incremental, incremental_nodes = dbt_build(data_dir, label, [])
            report[key] = _incremental_summary(incremental, full)
            report[f"{key}_nodes"] = sorted(incremental_nodes, key=lambda n: -n["seconds"])
        # A scheduled run when nothing new landed: what every run pays whatever its batch (dbt's start-up and
        # per-node costs, the models and data tests that still read whole tables).
        empty, empty_nodes = dbt_build(data_dir, "empty", [])
        report["empty_build"] = _incremental_summary(empty, full)
        report["empty_build_nodes"] = sorted(empty_nodes, key=lambda n: -n["seconds"])

    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"{datetime.now(UTC):%Y-%m-%d}-{args.customers}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2, default=str))
    (RESULTS / f"{stem}.md").write_text(render(report))
    print(render(report))


def render(report: dict[str, Any]) -> str:
    lines = [f"# Benchmark: {report['customers']:,} customers ({report['started_at']})", ""]
    lines.append(f"Machine: {report['machine']['cpus']} CPUs, load before {report['machine']['load_before']}")
    if "generate" in report:
        lines.append(
            f"Generate: {report['generate']['seconds']} s, peak {report['generate']['peak_mib']} MiB"
        )
    lines.append(f"Staging rows (source records after deduplication): {report.get('staging_rows', 0):,}")
    if "parse" in report:
        lines.append(
            f"Project parsed once beforehand, as a deployment prepares it: {report['parse']['seconds']} s; "
            "every build starts from that manifest (partial parsing, as dagster-dbt runs dbt)"
        )
    full = report["full_build"]
    lines.append(
        f"**Full build**: {full['seconds']} s wall, {full.get('cpu_seconds')} s CPU, "
        f"peak {full['peak_mib']} MiB; {_summed_seconds(report['full_build_nodes'])}"
    )
    runs = (
        ("incremental_build", "1% batch, first after the full build"),
        ("incremental_build_2", "1% batch, the next one"),
        ("empty_build", "nothing new landed"),
    )
    for key, when in runs:
        if key in report:
            inc = report[key]
            summed = f"; {_summed_seconds(report[f'{key}_nodes'])}" if f"{key}_nodes" in report else ""
            lines.append(
                f"**Incremental build** ({when}): {inc['seconds']} s wall, "
                f"{inc.get('cpu_seconds')} s CPU, peak {inc['peak_mib']} MiB; {inc['share_of_full']:.1%} of "
                f"the full build's wall time, {inc.get('cpu_share_of_full', 0):.1%} of its CPU time{summed}"
            )
    lines.append(f"Identity rounds: {report.get('identity_rounds')}")
    if "accuracy" in report:
        acc = report["accuracy"]
        lines.append(
            f"Accuracy: precision {acc['precision']:.4f}, recall {acc['recall']:.4f}, "
            f"linkable recall {acc['linkable_recall']:.4f}, F1 {acc['f1']:.4f}"
        )
    lines += [
        "",
        "## Slowest nodes of the full build",
        "",
        "| node | seconds | peak MiB |",
        "| --- | ---: | ---: |",
    ]
    for node in report["full_build_nodes"][:25]:
        lines.append(f"| {node['unique_id']} | {node['seconds']} | {node['peak_mib']} |")
    for key, when in runs:
        if f"{key}_nodes" in report:
            lines += ["", f"## Slowest nodes of the incremental build ({when})", ""]
            lines += ["| node | seconds |", "| --- | ---: |"]
            for node in report[f"{key}_nodes"][:15]:
                lines.append(f"| {node['unique_id']} | {node['seconds']} |")
    lines += ["", "## Rows per model", "", "| model | rows |", "| --- | ---: |"]
    lines += [f"| {k} | {v:,} |" for k, v in report.get("rows_per_model", {}).items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
