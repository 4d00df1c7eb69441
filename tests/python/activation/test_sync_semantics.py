"""Diff semantics, consent and deletions, dry run: through the engine, to the fake webhook receiver."""

from __future__ import annotations

import pytest
from cdp_orchestration.activation import (
    AudienceContractError,
    MassRemovalError,
    Relation,
    SyncConfig,
    run_sync,
)
from cdp_orchestration.activation.destinations import KlaviyoListDestination, WebhookDestination

from .support import consent_row, customer_id, customer_row, email_row

CUSTOMERS = SyncConfig("crm_webhook", Relation("main_marts.audience_customers"))
EMAIL = SyncConfig("email_webhook", Relation("main_marts.audience_email"), consent_channel="email")


def webhook(fake, sleeps, **kwargs):
    return WebhookDestination(f"{fake.url}/webhook", sleep=sleeps, **kwargs)


def sent_records(fake):
    return [
        (rec["op"], rec["sync_key"])
        for r in fake.received("webhook", status=200)
        for rec in r.body["records"]
    ]


def test_first_run_adds_then_an_unchanged_audience_sends_nothing(warehouse, state, fake, sleeps):
    warehouse.replace("audience_customers", [customer_row(i) for i in range(5)])
    first = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps), state)
    assert (first.status, first.adds, first.updates, first.removes, first.batches) == (
        "succeeded",
        5,
        0,
        0,
        1,
    )
    assert set(fake.webhook.records) == {customer_id(i) for i in range(5)}

    second = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps), state)
    assert (second.adds, second.updates, second.removes, second.batches, second.unchanged) == (0, 0, 0, 0, 5)
    assert len(fake.received("webhook")) == 1


def test_only_changes_are_sent_updates_and_removes(warehouse, state, fake, sleeps):
    warehouse.replace("audience_customers", [customer_row(i) for i in range(4)])
    run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps), state)

    warehouse.replace(
        "audience_customers",
        [customer_row(0), customer_row(1, loyalty_tier="gold"), customer_row(2), customer_row(9)],
    )
    result = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps), state)

    assert (result.adds, result.updates, result.removes, result.unchanged) == (1, 1, 1, 2)
    last_two = fake.received("webhook")[-2:]
    assert [r.body["operation"] for r in last_two] == ["remove", "upsert"]  # removes go first
    remove = last_two[0].body["records"][0]
    assert (remove["sync_key"], remove["remove_reason"], remove["data"]) == (
        customer_id(3),
        "left_audience",
        None,
    )
    assert {(r["op"], r["sync_key"]) for r in last_two[1].body["records"]} == {
        ("update", customer_id(1)),
        ("add", customer_id(9)),
    }
    assert fake.webhook.records[customer_id(1)]["loyalty_tier"] == "gold"
    assert customer_id(3) not in fake.webhook.records


def test_consent_is_required_for_the_channel_and_revoking_it_removes(warehouse, state, fake, sleeps):
    warehouse.replace("audience_email", [email_row(i) for i in range(4)])
    warehouse.replace(
        "customer_consent",
        [
            consent_row(0, "email"),
            consent_row(1, "email"),
            consent_row(2, "email", "denied"),
            consent_row(3, "sms"),  # consent for another channel does not count
        ],
    )
    first = run_sync(EMAIL, warehouse.source, webhook(fake, sleeps), state)
    assert (first.adds, first.skipped_consent) == (2, 2)
    assert set(fake.webhook.records) == {f"{customer_id(i)}:newsletter" for i in (0, 1)}

    # Customer 1 opts out later: the latest decision wins, even with an older opt-in on file.
    warehouse.replace(
        "customer_consent",
        [*warehouse.tables["customer_consent"], consent_row(1, "email", "denied", day=20)],
    )
    second = run_sync(EMAIL, warehouse.source, webhook(fake, sleeps), state)
    assert (second.adds, second.removes, second.skipped_consent) == (0, 1, 3)
    removed = fake.received("webhook")[-1].body["records"]
    assert [(r["sync_key"], r["remove_reason"]) for r in removed] == [
        (f"{customer_id(1)}:newsletter", "consent_revoked")
    ]


def test_deletion_removes_everywhere_and_purges_state(warehouse, state, fake, sleeps):
    warehouse.replace("audience_email", [email_row(i, lk) for i in range(3) for lk in ("newsletter", "vip")])
    warehouse.replace("customer_consent", [consent_row(i, "email") for i in range(3)])
    fake.klaviyo.reject_emails = {"person2@example.com": "Email address is suppressed"}  # a reject on file
    config = SyncConfig("klaviyo", Relation("main_marts.audience_email"), consent_channel="email")

    def klaviyo():
        return KlaviyoListDestination(
            {"newsletter": "LIST_NEWS", "vip": "LIST_VIP"},
            base_url=fake.url,
            sleep=sleeps,
            profile_rate=None,
            list_rate=None,
            deletion_rate=None,
        )

    run_sync(config, warehouse.source, klaviyo(), state)
    profile_id = next(
        p for p, attrs in fake.klaviyo.profiles.items() if attrs["external_id"] == customer_id(1)
    )
    assert profile_id in fake.klaviyo.snapshot()["lists"]["LIST_VIP"]
    assert len(state.rejects("klaviyo")) == 2

    # Customers 1 and 2 ask to be forgotten; dbt drops them from the marts, the deletions mart lists them.
    warehouse.replace("audience_email", [email_row(0, lk) for lk in ("newsletter", "vip")])
    warehouse.replace(
        "customer_deletions",
        [{"customer_id": customer_id(i), "requested_at": None} for i in (1, 2)],
    )
    result = run_sync(config, warehouse.source, klaviyo(), state)

    assert (result.removes, result.skipped_deleted) == (2, 0)
    remove_bodies = [r.body for r in fake.received("klaviyo.list_remove")]
    assert {d["id"] for b in remove_bodies for d in b["data"]} == {profile_id}
    assert fake.klaviyo.deleted_profiles == [profile_id]  # erased once although it left two lists
    for list_members in fake.klaviyo.snapshot()["lists"].values():
        assert profile_id not in list_members
    for table in ("sync_state", "sync_rejects", "sync_batch_rows"):
        leftover = state.query(
            f"select count(*) from {{schema}}.{table} where customer_id in (?, ?)",
            [customer_id(1), customer_id(2)],
        )
        assert leftover == [(0,)], table


def test_dry_run_returns_the_plan_and_touches_nothing(warehouse, state, fake, sleeps):
    warehouse.replace("audience_customers", [customer_row(i) for i in range(3)])
    result = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps, batch_size=2), state, dry_run=True)

    assert (result.status, result.adds, result.batches_planned, result.batches) == ("dry_run", 3, 2, 0)
    assert [len(b) for b in result.planned] == [2, 1]
    assert "batch 1 upsert" in result.describe()
    assert fake.received() == []
    assert state.query("select count(*) from {schema}.sync_runs") == [(0,)]
    assert state.load_state("crm_webhook").num_rows == 0

    real = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps, batch_size=2), state)
    assert (real.adds, real.batches) == (3, 2)


def test_an_emptied_audience_is_not_synced_as_a_mass_removal(warehouse, state, fake, sleeps):
    guarded = SyncConfig("crm_webhook", Relation("main_marts.audience_customers"), max_removal_ratio=0.5)
    warehouse.replace("audience_customers", [customer_row(i) for i in range(4)])
    run_sync(guarded, warehouse.source, webhook(fake, sleeps), state)

    warehouse.replace("audience_customers", [customer_row(0)])  # a broken build left one row
    with pytest.raises(MassRemovalError, match="would remove 3 of 4"):
        run_sync(guarded, warehouse.source, webhook(fake, sleeps), state)
    assert len(fake.received("webhook")) == 1

    # deletion requests are never held back
    warehouse.replace("audience_customers", [customer_row(i) for i in (0, 3)])
    warehouse.replace(
        "customer_deletions", [{"customer_id": customer_id(i), "requested_at": None} for i in (1, 2)]
    )
    assert run_sync(guarded, warehouse.source, webhook(fake, sleeps), state).removes == 2


def test_duplicate_sync_keys_break_the_contract(warehouse, state, fake, sleeps):
    warehouse.replace("audience_customers", [customer_row(1), customer_row(1)])
    with pytest.raises(AudienceContractError, match="duplicate sync_key"):
        run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps), state)
