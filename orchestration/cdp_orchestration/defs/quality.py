"""Great Expectations gates as Dagster asset checks: one multi-check per suite of quality/suites.py.

Each gate of a suite is one asset check of the model's asset. Critical gates are blocking: when one fails,
the syncs downstream of that model are not run in the same run. The row-count gate's bounds come from the
counts the same check recorded in earlier runs on the same dbt target (the instance's check history), so it
needs no other store.
Every validation also refreshes the GX Data Docs under data/<target>/gx_docs/.
"""

from collections.abc import Iterator, Mapping
from pathlib import Path

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    Config,
    DagsterInstance,
    MetadataValue,
    multi_asset_check,
)
from great_expectations.core import ExpectationSuiteValidationResult
from pydantic import Field

from cdp_orchestration.activation.source import SqlQuery, read_table
from cdp_orchestration.defs.resources import GreatExpectations, Warehouse
from cdp_orchestration.quality import gx
from cdp_orchestration.quality.suites import ROW_COUNT_GATE, Suite, row_count_bounds, row_count_gate, suites

ROW_COUNT_HISTORY = 5


class GateConfig(Config):
    max_row_count_change: float = Field(
        default=0.5,
        description="Largest accepted change of the row count, as a share of the median of recent runs.",
    )


def model_key(model: str) -> AssetKey:
    return AssetKey(["marts", model])


def previous_row_counts(
    instance: DagsterInstance, check_key: AssetCheckKey, run_id: str, target: str
) -> list[int]:
    """Row counts the row-count gate saw on the same dbt target in the latest earlier runs, newest first."""
    records = instance.event_log_storage.get_asset_check_execution_history(
        check_key, limit=4 * ROW_COUNT_HISTORY
    )
    counts = []
    for record in records:
        evaluation = record.event.asset_check_evaluation if record.event else None
        if record.run_id == run_id or evaluation is None:
            continue
        same_target = getattr(evaluation.metadata.get("target"), "value", None) == target
        if not same_target or "row_count" not in evaluation.metadata:
            continue
        counts.append(int(evaluation.metadata["row_count"].value))  # type: ignore[arg-type]
    return counts[:ROW_COUNT_HISTORY]


def _results(
    validation: ExpectationSuiteValidationResult,
    suite: Suite,
    key: AssetKey,
    critical: Mapping[str, bool],
    extra_metadata: Mapping[str, Mapping[str, MetadataValue]],
) -> Iterator[AssetCheckResult]:
    for gate in suite.gate_names:
        results = [r for r in validation.results if (r.expectation_config.meta or {}).get("gate") == gate]
        failures = [
            {
                "expectation": r.expectation_config.type,
                "column": r.expectation_config.kwargs.get("column"),
                # Counts only: the failing values (emails, phones) stay in the local Data Docs.
                "unexpected_count": r.result.get("unexpected_count"),
                "observed_value": r.result.get("observed_value"),
            }
            for r in results
            if not r.success
        ]
        yield AssetCheckResult(
            asset_key=key,
            check_name=gate,
            passed=not failures,
            severity=AssetCheckSeverity.ERROR if critical[gate] else AssetCheckSeverity.WARN,
            metadata={
                "expectations": len(results),
                "failures": MetadataValue.json(failures),
                **extra_metadata.get(gate, {}),
            },
        )


def gate_checks(suite: Suite) -> AssetChecksDefinition:
    key = model_key(suite.model)
    gates = [*suite.gates, row_count_gate(None)]
    critical = {g.name: g.critical for g in gates}

    @multi_asset_check(
        specs=[
            AssetCheckSpec(g.name, asset=key, description=g.description, blocking=g.critical) for g in gates
        ],
        name=f"gx_{suite.model}",
        description=f"Great Expectations suite `{suite.model}`.",
    )
    def _check(
        context: AssetCheckExecutionContext,
        config: GateConfig,
        warehouse: Warehouse,
        great_expectations: GreatExpectations,
    ) -> Iterator[AssetCheckResult]:
        # The suite as built for this target's schema, with fresh expectation objects (a GX suite owns the
        # expectations added to it).
        fresh = next(s for s in suites(warehouse.marts_schema) if s.model == suite.model)
        data = read_table(warehouse.source(), SqlQuery(fresh.query)).to_pandas()
        previous = previous_row_counts(
            context.instance, AssetCheckKey(key, ROW_COUNT_GATE), context.run.run_id, warehouse.target
        )
        bounds = row_count_bounds(previous, config.max_row_count_change)
        expectations = [e for g in (*fresh.gates, row_count_gate(bounds)) for e in g.expectations]
        validation = gx.validate(
            Path(great_expectations.root_dir),
            Path(great_expectations.docs_dir),
            suite.model,
            data,
            expectations,
        )
        row_count = {
            "row_count": MetadataValue.int(len(data)),
            "target": MetadataValue.text(warehouse.target),
            "previous_row_counts": MetadataValue.json(previous),
            "bounds": MetadataValue.json(
                {"min": bounds.min_rows, "max": bounds.max_rows} if bounds else None
            ),
        }
        yield from _results(validation, suite, key, critical, {ROW_COUNT_GATE: row_count})

    return _check


gx_checks = [gate_checks(suite) for suite in suites()]
