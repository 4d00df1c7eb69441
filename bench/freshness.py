"""Freshness benchmark: `make bench-freshness SCALE=<customers>`.

How long a micro-batch takes from landing to the ESP, through the deployed path: the landing sensor sees the
new part files and requests a run of the full build job (dbt build with its tests, the Great Expectations
gates, then every sync), which runs in this process against the local fake ESP (Klaviyo's API).

1. A warehouse of SCALE customers: the generated initial load (kept under bench/work/freshness_<scale>/base
   and copied for each run), built and synced once by the same job (the baseline: the ESP then holds every
   list).
2. The micro-batch `cdp-generate --batch 1 --scenario freshness`: a few thousand new events, purchases by
   people who abandoned a checkout, and email opt-outs by subscribed people. The clock starts when its last
   part file has landed.
3. One sensor tick (as the daemon would run it, with the cursor of the tick before the batch), then the run
   it requests. A watcher polls the fake ESP every 0.2 s and stops the clock when every purchaser whose
   customer was in the cart-abandoner list has left it and every opted-out customer has left every list.

Writes bench/results/<date>-freshness-<scale>.md and .json: the latency end to end and per step (sensor,
dbt build, gates, ESP sync), the sync counts, and the purchasers and opt-outs followed. The daemon ticks the
sensor every minimum_interval_seconds (60 s): a batch waits up to that long before the tick, which the
report adds as the worst case.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
TARGET = "dev"
CART_LIST = "cart_abandoners"
TARGET_SECONDS = 120.0
POLL_SECONDS = 0.2
# A production micro-batch run: dbt build without the unit tests (they check the SQL, not the data).
RUN_CONFIG: dict[str, Any] = {
    "ops": {"cdp_dbt": {"config": {"exclude": "test_type:unit"}}},
    "loggers": {"console": {"config": {"log_level": "WARNING"}}},
}


@dataclass
class Followed:
    """A customer the batch must change at the ESP, and the lists its profile must leave."""

    kind: str  # purchase | opt_out
    person_id: int
    customer_id: str | None
    lists_before: list[str] = field(default_factory=list)
    lists_after: list[str] | None = None

    @property
    def must_leave(self) -> list[str]:
        if self.kind == "purchase":
            return [name for name in self.lists_before if name == CART_LIST]
        return list(self.lists_before)


def _generate(out: Path, customers: int, seed: int, *options: str) -> None:
    subprocess.run(
        [str(BIN / "cdp-generate"), "--customers", str(customers), "--seed", str(seed), "--out", str(out),
         *options],
        capture_output=True, text=True, check=True,
    )  # fmt: skip


def _customer_of(con: duckdb.DuckDBPyConnection, id_type: str, id_value: str) -> str | None:
    """The customer holding an identifier."""
    row = con.execute(
        "select customer_id from main_marts.customer_identifiers where id_type = ? and id_value = ? limit 1",
        [id_type, id_value],
    ).fetchone()
    return row[0] if row else None


def _followed(warehouse: Path, batch: dict[str, Any]) -> list[Followed]:
    """The batch's purchasers (by shop account) and opt-outs (by ESP profile), as the warehouse has them
    before the batch."""
    followed = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for kind, key, id_type in (
            ("purchase", "shop_customer_id", "shop_customer_id"),
            ("opt_out", "profile_id", "esp_profile_id"),
        ):
            for person in batch["purchases" if kind == "purchase" else "opt_outs"]:
                customer_id = _customer_of(con, id_type, str(person[key]))
                followed.append(Followed(kind, person["person_id"], customer_id))
    return followed


def _profiles_of(servers: Any, customer_ids: set[str]) -> dict[str, set[str]]:
    """customer id -> its profiles at the fake ESP (by external_id: an email can be on several profiles).
    One scan of every profile, before the batch: upserts keep a known customer's profile id."""
    profiles: dict[str, set[str]] = {}
    with servers.recorder.lock:
        for profile_id, profile in servers.klaviyo.profiles.items():
            if profile.get("external_id") in customer_ids:
                profiles.setdefault(profile["external_id"], set()).add(profile_id)
    return profiles


def _lists_of(servers: Any, profiles: dict[str, set[str]]) -> dict[str, list[str]]:
    """customer id -> the fake ESP's lists holding one of its profiles: a few set lookups under the fake's
    lock, cheap enough to poll while the sync runs."""
    with servers.recorder.lock:
        return {
            customer_id: sorted(
                name for name, members in servers.klaviyo.lists.items() if not members.isdisjoint(ids)
            )
            for customer_id, ids in profiles.items()
        }


def _step_seconds(instance: Any, run_id: str) -> dict[str, float]:
    """Seconds each step of a run took, from its STEP_START and STEP_SUCCESS / STEP_FAILURE records."""
    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            started[event.step_key] = record.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in started:
            seconds[event.step_key] = round(record.timestamp - started[event.step_key], 1)
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    work = PROJECT / "bench" / "work" / f"freshness_{args.customers}"
    base = work / "base"
    data_dir = work / "data"
    out = data_dir / TARGET
    report: dict[str, Any] = {
        "customers": args.customers,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load_before": os.getloadavg()},
    }
    if not (base / "landing" / ".complete").exists():
        started = time.monotonic()
        _generate(base, args.customers, args.seed)
        report["generate_seconds"] = round(time.monotonic() - started, 1)
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(base, out, ignore=shutil.ignore_patterns("warehouse.duckdb*"))

    os.environ.update({"CDP_TARGET": TARGET, "CDP_DATA_DIR": str(data_dir)})
    from cdp_orchestration.demo import ensure_instance, local_destinations, sync_counts

    shutil.rmtree(work / "home", ignore_errors=True)
    ensure_instance(work / "home")
    with local_destinations() as servers:
        from cdp_orchestration.defs.project import prepare
        from dagster import DagsterInstance, build_sensor_context

        prepare()
        from cdp_orchestration.definitions import defs
        from cdp_orchestration.defs.sensors import landing_files_sensor

        instance = DagsterInstance.get()
        job = defs.resolve_job_def("cdp_full_build")

        # The baseline: the first tick sees the initial load; its run builds everything and fills the ESP.
        tick = landing_files_sensor(build_sensor_context(instance=instance, definitions=defs))
        started = time.monotonic()
        baseline = job.execute_in_process(instance=instance, run_config=RUN_CONFIG, raise_on_error=False)
        report["baseline"] = {
            "success": baseline.success,
            "seconds": round(time.monotonic() - started, 1),
            "steps": _step_seconds(instance, baseline.run_id),
            "syncs": sync_counts(baseline),
        }
        if not baseline.success:
            raise SystemExit(f"the baseline run failed: {report['baseline']}")

        # The micro-batch lands.
        generated = time.monotonic()
        _generate(out, args.customers, args.seed, "--batch", "1", "--scenario", "freshness")
        report["batch_generation_seconds"] = round(time.monotonic() - generated, 1)
        new_parts = [p for p in (out / "landing").glob("*/*/part-00001-*.parquet")]
        landed_at = max(p.stat().st_mtime for p in new_parts)
        clock = time.time  # wall clock: comparable with the files' modification times
        batch = json.loads((out / "truth" / "batches" / "batch-1.json").read_text())
        report["batch_rows"] = batch["landing_rows"]
        followed = _followed(out / "warehouse.duckdb", batch)
        profiles = _profiles_of(servers, {f.customer_id for f in followed if f.customer_id})
        before = _lists_of(servers, profiles)
        for person in followed:
            person.lists_before = before.get(person.customer_id or "", [])
        watched = [f for f in followed if f.must_leave]

        reached: dict[str, float] = {}
        done = threading.Event()

        def watch() -> None:
            while not done.is_set():
                now = _lists_of(servers, profiles)
                if all(not set(f.must_leave) & set(now.get(f.customer_id or "", [])) for f in watched):
                    reached["at"] = clock()
                    return
                done.wait(POLL_SECONDS)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        sensor_started = clock()
        result = landing_files_sensor(
            build_sensor_context(instance=instance, definitions=defs, cursor=tick.cursor)
        )
        sensor_done = clock()
        requests = getattr(result, "run_requests", None) or []
        if len(requests) != 1:
            raise SystemExit(f"the sensor did not request one run for the batch: {result}")
        run_started = clock()
        run = job.execute_in_process(
            instance=instance, run_config=RUN_CONFIG, tags=requests[0].tags, raise_on_error=False
        )
        run_done = clock()
        done.set()
        watcher.join()
        after = _lists_of(servers, profiles)
        for person in followed:
            person.lists_after = after.get(person.customer_id or "", [])

    esp_at = reached.get("at")
    report["micro_batch"] = {
        "success": run.success,
        "new_files": len(new_parts),
        "sensor_seconds": round(sensor_done - sensor_started, 2),
        "landed_to_sensor_seconds": round(sensor_started - landed_at, 1),
        "run_seconds": round(run_done - run_started, 1),
        "steps": _step_seconds(instance, run.run_id),
        "syncs": sync_counts(run),
        "landed_to_esp_seconds": round(esp_at - landed_at, 1) if esp_at else None,
        "worst_case_with_tick_seconds": round(esp_at - landed_at + 60, 1) if esp_at else None,
        "target_seconds": TARGET_SECONDS,
    }
    report["followed"] = [f.__dict__ | {"must_leave": f.must_leave} for f in followed]
    report["watched"] = len(watched)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"{datetime.now(UTC):%Y-%m-%d}-freshness-{args.customers}"
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2, default=str))
    (RESULTS / f"{stem}.md").write_text(render(report))
    print(render(report))
    if not run.success or esp_at is None:
        raise SystemExit("the micro-batch did not reach the ESP (see the report)")


def render(report: dict[str, Any]) -> str:
    micro = report["micro_batch"]
    latency = micro["landed_to_esp_seconds"]
    verdict = "not reached" if latency is None else ("met" if latency <= TARGET_SECONDS else "NOT met")
    lines = [
        f"# Freshness: {report['customers']:,} customers ({report['started_at']})",
        "",
        f"Machine: {report['machine']['cpus']} CPUs, load before {report['machine']['load_before']}",
        "",
        f"- baseline (initial load built and synced by the same job): {report['baseline']['seconds']} s",
        f"- micro-batch: {sum(report['batch_rows'].values()):,} landing rows ({micro['new_files']} part "
        f"files, generated in {report['batch_generation_seconds']} s)",
        f"- landed -> ESP: **{latency} s** (target {TARGET_SECONDS:.0f} s: {verdict}); with the sensor's "
        f"60 s interval at worst: {micro['worst_case_with_tick_seconds']} s",
        f"- sensor tick {micro['sensor_seconds']} s; the run {micro['run_seconds']} s "
        f"({'succeeded' if micro['success'] else 'FAILED'})",
        f"- followed: {report['watched']} customers had to leave a list "
        f"(of {len(report['followed'])} purchasers and opt-outs in the batch)",
        "",
        "| step | baseline s | micro-batch s |",
        "|---|---:|---:|",
    ]
    steps = sorted(
        set(report["baseline"]["steps"]) | set(micro["steps"]), key=lambda s: -micro["steps"].get(s, 0)
    )
    for step in steps:
        lines.append(
            f"| {step} | {report['baseline']['steps'].get(step, '')} | {micro['steps'].get(step, '')} |"
        )
    lines += ["", "| sync | adds | updates | removes |", "|---|---:|---:|---:|"]
    for name, counts in sorted(micro["syncs"].items()):
        lines.append(
            f"| {name} | {counts.get('adds', 0)} | {counts.get('updates', 0)} | {counts.get('removes', 0)} |"
        )
    lines += [
        "",
        "ESP lists of each purchaser's and opt-out's customer (its profile's external_id):",
        "",
        "| kind | customer | lists before | lists after |",
        "|---|---|---|---|",
    ]
    for person in report["followed"]:
        lines.append(
            f"| {person['kind']} | {person['customer_id']} | {', '.join(person['lists_before'])} | "
            f"{', '.join(person['lists_after'] or [])} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
