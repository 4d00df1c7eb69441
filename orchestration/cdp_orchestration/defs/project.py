"""The dbt project as Dagster loads it, and the target it runs against.

`CDP_TARGET` picks the dbt target of profiles.yml: `dev` (default) or `ci` (DuckDB files under data/),
`snowflake` or `spark`. The manifest is read from `<DBT_TARGET_PATH or target>/manifest.json`:

- under `dagster dev` (`make ui`) it is prepared at load time (`prepare_if_dev` runs `dbt parse`);
- anywhere else it must exist before the definitions load. Prepare it at build or deploy time with
  `dagster-dbt project prepare-and-package --file orchestration/cdp_orchestration/defs/project.py`
  (what `make ui` runs first), or in Python with `prepare(cdp_project)` (what the demo does).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from cdp_orchestration.warehouse import PROJECT_DIR

TARGETS = ("dev", "ci", "snowflake", "spark")
DUCKDB_TARGETS = ("dev", "ci")


def current_target() -> str:
    target = os.environ.get("CDP_TARGET", "dev")
    if target not in TARGETS:
        raise ValueError(f"CDP_TARGET={target!r}: expected one of {', '.join(TARGETS)}")
    return target


# dagster-dbt runs `dbt` from PATH: make it the one installed beside this Python (the venv), also when the
# venv is not activated (make calls .venv/bin/python directly).
if shutil.which("dbt") is None:
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])

cdp_project = DbtProject(
    project_dir=PROJECT_DIR,
    target=current_target(),
    # dbt and dagster-dbt both honour DBT_TARGET_PATH; the manifest lives there too.
    target_path=os.environ.get("DBT_TARGET_PATH", "target"),
)
cdp_project.prepare_if_dev()


def prepare(project: DbtProject = cdp_project) -> None:
    """Run `dbt parse` so that the manifest the definitions load is current (what `dagster dev` does)."""
    project.preparer.prepare(project)
