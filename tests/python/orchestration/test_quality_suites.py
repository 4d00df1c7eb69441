"""The GX gates themselves: row-count bounds, and which gates are critical."""

from __future__ import annotations

import pandas as pd
from cdp_orchestration.quality import gx
from cdp_orchestration.quality.suites import ROW_COUNT_GATE, row_count_bounds, row_count_gate, suites


def test_row_count_bounds_follow_the_median_of_previous_runs():
    assert row_count_bounds([], 0.5) is None
    bounds = row_count_bounds([1000, 1010, 10], 0.5)
    assert bounds is not None
    assert (bounds.min_rows, bounds.max_rows) == (500, 1501)  # one bad run does not move the median


def test_audience_gates_are_critical():
    by_model = {s.model: s for s in suites()}
    for model in ("audience_email", "audience_sms", "audience_ads", "audience_customers"):
        gates = {g.name: g.critical for g in by_model[model].gates}
        assert gates == {"gx_keys": True, "gx_formats": True, "gx_consent": True}
    assert {g.name: g.critical for g in by_model["dim_customers"].gates} == {
        "gx_keys": True,
        "gx_formats": False,
    }
    assert by_model["audience_email"].gate_names[-1] == ROW_COUNT_GATE


def test_a_suite_finds_duplicates_bad_formats_and_missing_consent(tmp_path):
    (suite,) = [s for s in suites() if s.model == "audience_email"]
    data = pd.DataFrame(
        {
            "sync_key": ["a:vip", "b:vip", "b:vip"],
            "email": ["a@example.com", "not-an-email", "b@example.com"],
            "consent_status": ["granted", "granted", "denied"],
            "is_deleted": [False, False, True],
        }
    )
    bounds = row_count_bounds([100], 0.5)
    expectations = [e for g in (*suite.gates, row_count_gate(bounds)) for e in g.expectations]
    result = gx.validate(tmp_path / "gx", tmp_path / "docs", "audience_email", data, expectations)
    failed = {r.expectation_config.meta["gate"] for r in result.results if not r.success}
    assert failed == {"gx_keys", "gx_formats", "gx_consent", ROW_COUNT_GATE}
    assert (tmp_path / "docs" / "index.html").exists()
