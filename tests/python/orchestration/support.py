"""Helpers of the orchestration tests: run a job against the fakes, read what a run recorded."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from cdp_orchestration.activation.fake_servers import FakeServers
from dagster import DagsterInstance, Definitions, ExecuteInProcessResult


@dataclass
class Run:
    result: ExecuteInProcessResult
    fakes: dict[str, Any]
    requests: int


def run_job(defs: Definitions, name: str, instance: DagsterInstance, fakes: FakeServers) -> Run:
    result = defs.resolve_job_def(name).execute_in_process(instance=instance, raise_on_error=False)
    snapshot = copy.deepcopy(fakes.snapshot())
    return Run(result, snapshot, snapshot["requests"])


def materializations(result: ExecuteInProcessResult) -> dict[str, dict[str, Any]]:
    """Asset key (user string) -> metadata values of its materialization in this run."""
    found = {}
    for event in result.get_asset_materialization_events():
        m = event.materialization
        found[m.asset_key.to_user_string()] = {k: v.value for k, v in m.metadata.items()}
    return found


def check_results(result: ExecuteInProcessResult) -> dict[str, Any]:
    """`<asset>:<check>` -> the evaluation, for every check evaluated in this run."""
    found = {}
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.asset_check_evaluation_data
            found[f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"] = evaluation
    return found
