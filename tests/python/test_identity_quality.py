"""Identity resolution meets its accuracy targets on the CI sample, scored against the ground truth.

Deterministic rules only: precision >= 0.995 and recall >= 0.98 over the record pairs a deterministic
resolver can link at all (see cdp_sample.evaluate for why never-identified cookies are set apart).
`make test` builds the ci target before pytest runs, so this reads that warehouse.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cdp_sample.evaluate import score

DATA = Path(__file__).resolve().parents[2] / "data" / "ci"


@pytest.fixture(scope="module")
def scores():
    warehouse = DATA / "warehouse.duckdb"
    if not warehouse.exists():
        pytest.skip(f"no CI warehouse at {warehouse}: run `make dbt-ci` (make test does) first")
    return score(warehouse, DATA / "truth")


def test_precision(scores) -> None:
    assert scores.precision >= 0.995, scores


def test_linkable_recall(scores) -> None:
    assert scores.linkable_recall >= 0.98, scores


def test_every_person_with_identifiers_is_resolved(scores) -> None:
    # Unresolved records are those carrying only junk identifiers; they must stay rare.
    assert scores.resolved_records / scores.records >= 0.98, scores
