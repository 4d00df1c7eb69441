"""The landing sensor: new Parquet parts under the landing folder start a full build (then the syncs).

The cursor is the newest modification time seen (and the number of files then): a part written or
rewritten after it is new. Each landing table with new parts gets a materialization event, so the lineage
shows when data landed; the run key is derived from the new files, so one arrival starts one run.
"""

import hashlib
import json
from collections import defaultdict
from pathlib import Path

from dagster import (
    AssetMaterialization,
    DefaultSensorStatus,
    MetadataValue,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from cdp_orchestration.defs.jobs import full_build_job
from cdp_orchestration.defs.landing import PART_GLOB, landing_key
from cdp_orchestration.defs.project import current_target
from cdp_orchestration.warehouse import landing_dir


def landing_parts(root: Path) -> dict[str, int]:
    """`<source>/<table>/part-*.parquet` -> modification time (ns), for every part under `root`."""
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in sorted(root.glob(f"*/*/{PART_GLOB}"))}


@sensor(
    job=full_build_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.STOPPED,
    description="Starts a full build (then the syncs) when new part-*.parquet files land.",
)
def landing_files_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
    root = landing_dir(current_target())
    parts = landing_parts(root)
    seen_mtime = json.loads(context.cursor)["max_mtime_ns"] if context.cursor else -1
    new = {path: mtime for path, mtime in parts.items() if mtime > seen_mtime}
    if not new:
        return SkipReason(f"no new landing files under {root} ({len(parts)} files seen)")
    by_table: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in new:
        source, table, name = path.split("/")
        by_table[(source, table)].append(name)
    run_key = hashlib.sha256(json.dumps(sorted(new.items())).encode()).hexdigest()[:16]
    return SensorResult(
        run_requests=[
            RunRequest(
                run_key=run_key,
                tags={"cdp/trigger": "landing_files", "cdp/new_files": str(len(new))},
            )
        ],
        asset_events=[
            AssetMaterialization(
                landing_key(source, table),
                description="new landing files",
                metadata={"new_files": MetadataValue.json(sorted(names)), "path": str(root / source / table)},
            )
            for (source, table), names in sorted(by_table.items())
        ],
        cursor=json.dumps({"max_mtime_ns": max(parts.values()), "files": len(parts)}),
    )
