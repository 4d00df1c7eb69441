"""Fixtures for the Dagster code location: a private copy of the CI sample's landing files, the CI target
built into a temporary data folder, local fakes of the HTTP destinations, and one Dagster instance for the
session (so that runs see each other's history, as on a real instance).

The definitions read the environment when they load, so they are imported by the `defs` fixture only after
the environment points at the temporary folder and the fakes.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from cdp_orchestration.activation.demo import DEMO_SECRETS
from cdp_orchestration.activation.fake_servers import FakeServers
from cdp_orchestration.warehouse import landing_dir
from dagster import DagsterInstance, Definitions

from .support import Run, run_job


@dataclass
class CdpEnv:
    data_dir: Path
    landing: Path
    fakes: FakeServers


@pytest.fixture(scope="package")
def cdp_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CdpEnv]:
    sample = landing_dir("ci")
    if not (sample / ".complete").exists():
        pytest.skip(f"no CI sample at {sample}: run `make generate-ci` first")
    data = tmp_path_factory.mktemp("cdp_data")
    shutil.copytree(sample, data / "ci" / "landing")
    patch = pytest.MonkeyPatch()
    patch.setenv("CDP_TARGET", "ci")
    patch.setenv("CDP_DATA_DIR", str(data))
    # One "now" for every run of the session: a segment's window must not move between two runs a minute
    # apart (a checkout started 7 days before the second run, not the first, would leave the cart list).
    patch.setenv("CDP_AS_OF", datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"))
    patch.delenv("CDP_LANDING_DIR", raising=False)
    patch.delenv("CDP_POSTGRES_DSN", raising=False)
    for name, value in DEMO_SECRETS.items():
        patch.setenv(name, value)
    with FakeServers(
        klaviyo_api_key=DEMO_SECRETS["CDP_KLAVIYO_API_KEY"],
        meta_access_token=DEMO_SECRETS["CDP_META_ACCESS_TOKEN"],
        webhook_secret=DEMO_SECRETS["CDP_WEBHOOK_SECRET"],
    ) as fakes:
        patch.setenv("CDP_KLAVIYO_BASE_URL", fakes.url)
        patch.setenv("CDP_META_BASE_URL", fakes.url)
        patch.setenv("CDP_WEBHOOK_URL", f"{fakes.url}/webhook")
        yield CdpEnv(data, data / "ci" / "landing", fakes)
    patch.undo()


@pytest.fixture(scope="package")
def definitions_module(cdp_env: CdpEnv) -> ModuleType:
    # A manifest older than the models would not know nodes that dbt builds: parse first, as dagster dev does.
    importlib.import_module("cdp_orchestration.defs.project").prepare()
    return importlib.import_module("cdp_orchestration.definitions")


@pytest.fixture(scope="package")
def defs(definitions_module: ModuleType) -> Definitions:
    return definitions_module.defs


@pytest.fixture(scope="package")
def instance() -> DagsterInstance:
    return DagsterInstance.ephemeral()


@pytest.fixture(scope="package")
def first_run(defs: Definitions, instance: DagsterInstance, cdp_env: CdpEnv) -> Run:
    """The full build on the CI sample: dbt build, checks, then every sync."""
    return run_job(defs, "cdp_full_build", instance, cdp_env.fakes)
