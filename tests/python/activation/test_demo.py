"""The demo command syncs every audience mart to the in-process fakes; a second run sends nothing."""

from __future__ import annotations

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
    assert [line.split(" [")[0] for line in first if line.startswith("sync ")] == [
        line.split(" [")[0] for line in first if line.startswith("sync ")
    ]
    assert sum("[succeeded]: +6 " in line for line in first) == 1  # klaviyo: 3 people x 2 lists
    assert sum("[succeeded]: +3 " in line for line in first) == 2  # meta and webhook

    demo.main(args)
    second = capsys.readouterr().out
    assert second.count("[succeeded]: +0 ~0 -0") == 3
