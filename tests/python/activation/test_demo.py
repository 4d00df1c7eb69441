"""The demo command and the standalone fake servers."""

from __future__ import annotations

import subprocess
import sys

import httpx
from cdp_orchestration.activation import demo

from .support import ads_row, consent_row, customer_row, email_row


def test_demo_syncs_all_audiences_then_nothing(warehouse, tmp_path, capsys):
    warehouse.replace("audience_email", [email_row(i, lk) for i in range(3) for lk in ("newsletter", "vip")])
    warehouse.replace("audience_ads", [ads_row(i) for i in range(3)])
    warehouse.replace("audience_customers", [customer_row(i) for i in range(3)])
    warehouse.replace("customer_consent", [consent_row(i, ch) for i in range(3) for ch in ("email", "ads")])
    args = ["--warehouse", str(warehouse.path), "--state", str(tmp_path / "state.duckdb")]

    demo.main(args)
    first = capsys.readouterr().out.splitlines()
    assert sum("[succeeded]: +6 " in line for line in first) == 1  # klaviyo: 3 people x 2 lists
    assert sum("[succeeded]: +3 " in line for line in first) == 2  # meta and webhook

    demo.main(args)
    second = capsys.readouterr().out
    assert second.count("[succeeded]: +0 ~0 -0") == 3


def test_fake_servers_run_standalone_and_expose_their_state():
    process = subprocess.Popen(
        [sys.executable, "-m", "cdp_orchestration.activation.fake_servers", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        banner = process.stdout.readline()
        url = banner.split(" on ")[1].split(" ")[0]
        state = httpx.get(f"{url}/_debug/state", timeout=5).json()
        assert set(state) == {"klaviyo", "meta", "webhook", "requests"}
    finally:
        process.terminate()
        process.wait(timeout=10)
