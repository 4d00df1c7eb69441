"""`python -m cdp_orchestration.demo --target dev` (`make demo`): the whole pipeline through Dagster.

Starts local fakes of the HTTP destinations (ESP, ad platform, webhook) in this process, runs the full build
job in process (dbt build with its tests, the Great Expectations gates, then every sync: files and the
fakes) on the persistent instance in DAGSTER_HOME (so `make ui` shows the run), and prints what each
destination received (adds, updates, removes, rejects) and the build summary. Run it again without new data:
every sync sends nothing. The GX Data Docs are written to data/<target>/gx_docs/index.html.
"""

import argparse
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cdp_orchestration.activation.demo import DEMO_SECRETS
from cdp_orchestration.activation.fake_servers import FakeServers
from cdp_orchestration.warehouse import data_dir, target_dir

INSTANCE_CONFIG = Path(__file__).with_name("dagster.yaml")
COUNTS = ("adds", "updates", "removes", "rejects", "unchanged", "skipped_consent", "skipped_deleted")


def ensure_instance(home: Path) -> None:
    """A persistent Dagster instance (run history for the UI) with the project's pool limits."""
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copyfile(INSTANCE_CONFIG, home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)


@contextmanager
def local_destinations(port: int = 0) -> Iterator[FakeServers]:
    """The fakes, on a free port by default; the sync resources read their URLs from the environment."""
    for name, value in DEMO_SECRETS.items():
        os.environ.setdefault(name, value)
    with FakeServers(
        port=port,
        klaviyo_api_key=os.environ["CDP_KLAVIYO_API_KEY"],
        meta_access_token=os.environ["CDP_META_ACCESS_TOKEN"],
        webhook_secret=os.environ["CDP_WEBHOOK_SECRET"],
    ) as servers:
        os.environ["CDP_KLAVIYO_BASE_URL"] = servers.url
        os.environ["CDP_META_BASE_URL"] = servers.url
        os.environ["CDP_WEBHOOK_URL"] = f"{servers.url}/webhook"
        yield servers


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [
        list(map(str, headers)),
        *[[f"{v:,}" if isinstance(v, int) else str(v) for v in r] for r in rows],
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [
        "  "
        + "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        for row in cells
    ]
    lines.insert(1, "  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def sync_counts(result: Any) -> dict[str, dict[str, int]]:
    """{sync name: {adds, updates, ...}} from the materializations of a run's sync assets."""
    counts = {}
    for event in result.get_asset_materialization_events():
        materialization = event.materialization
        if materialization.asset_key.path[0] != "destinations":
            continue
        metadata = materialization.metadata
        counts[materialization.asset_key.path[-1]] = {
            c: int(metadata[c].value) for c in COUNTS if c in metadata
        }
    return counts


def check_failures(result: Any) -> list[str]:
    failed = []
    for event in result.all_events:
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        evaluation = event.asset_check_evaluation_data
        if not evaluation.passed:
            check = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
            failed.append(f"{check} ({evaluation.severity.value})")
    return failed


def run(target: str) -> bool:
    os.environ["CDP_TARGET"] = target
    ensure_instance(Path(os.environ.get("DAGSTER_HOME") or data_dir() / "dagster_home"))
    with local_destinations() as servers:
        # Imported here: the definitions read CDP_TARGET and the destinations' URLs when they load.
        from dagster import DagsterInstance

        from cdp_orchestration.defs.project import prepare

        prepare()
        from cdp_orchestration.definitions import defs

        job = defs.resolve_job_def("cdp_full_build")
        result = job.execute_in_process(
            instance=DagsterInstance.get(),
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
            raise_on_error=False,
        )
        snapshot = servers.snapshot()

    counts = sync_counts(result)
    print(f"\nDagster run {result.run_id}: {'succeeded' if result.success else 'FAILED'}")
    print(
        _table(
            ["destination", *COUNTS],
            [[name, *(c.get(k, 0) for k in COUNTS)] for name, c in sorted(counts.items())],
        )
    )
    list_members = sum(len(v) for v in snapshot["klaviyo"]["lists"].values())
    audience_rows = sum(len(v) for v in snapshot["meta"]["audiences"].values())
    print(
        f"\nlocal fakes now hold: {list_members:,} ESP list members, {audience_rows:,} ad-audience rows, "
        f"{len(snapshot['webhook']['records']):,} webhook records ({snapshot['requests']:,} requests)"
    )
    failures = check_failures(result)
    if failures:
        print("failed checks: " + ", ".join(failures))
    docs = target_dir(target) / "gx_docs" / "index.html"
    print(f"Great Expectations Data Docs: {docs}" + ("" if docs.exists() else " (not written)"))
    print(f"exports: {target_dir(target) / 'exports'}\n")

    from cdp_orchestration.summary import summarise

    print(summarise(target))
    return result.success


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--target", default="dev", choices=["dev", "ci"], help="DuckDB target to build and sync"
    )
    args = parser.parse_args(argv)
    sys.exit(0 if run(args.target) else 1)


if __name__ == "__main__":
    main()
