"""Retries (429 with Retry-After, 500, time-outs), exhausted retries, partial batch failures, and a crash
between batches: nothing lost, nothing sent twice."""

from __future__ import annotations

import pytest
from cdp_orchestration.activation import Relation, SyncConfig, SyncHooks, run_sync
from cdp_orchestration.activation.destinations import KlaviyoListDestination, WebhookDestination
from cdp_orchestration.activation.fake_servers import Fault
from cdp_orchestration.activation.http import RateLimiter

from .support import consent_row, customer_id, customer_row, email_row

CUSTOMERS = SyncConfig("crm_webhook", Relation("main_marts.audience_customers"))
EMAIL = SyncConfig("klaviyo_lists", Relation("main_marts.audience_email"), consent_channel="email")


class Crash(Exception):
    """Stands for the process dying between two steps."""


def webhook(fake, sleeps, **kwargs):
    return WebhookDestination(f"{fake.url}/webhook", sleep=sleeps, **kwargs)


def klaviyo(fake, sleeps, **kwargs):
    return KlaviyoListDestination(
        {"newsletter": "LIST_NEWS"},
        base_url=fake.url,
        sleep=sleeps,
        profile_rate=None,
        list_rate=None,
        **kwargs,
    )


def delivered_keys(fake):
    """sync_keys of every record the receiver accepted, per delivery (duplicates included)."""
    return [rec["sync_key"] for r in fake.received("webhook", status=200) for rec in r.body["records"]]


def test_429_waits_for_retry_after(warehouse, state, fake, sleeps):
    warehouse.replace("audience_customers", [customer_row(i) for i in range(3)])
    fake.inject("webhook", Fault(429, retry_after=7), Fault(429, retry_after=2))
    result = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps), state)

    assert (result.status, result.adds, result.retries) == ("succeeded", 3, 2)
    assert sleeps.calls == [7, 2]
    assert [r.status for r in fake.received("webhook")] == [429, 429, 200]


def test_500_is_retried_with_exponential_backoff(warehouse, state, fake, sleeps):
    warehouse.replace("audience_customers", [customer_row(1)])
    fake.inject("webhook", Fault(500), Fault(503), Fault(502))
    result = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps), state)

    assert (result.adds, result.retries) == (1, 3)
    # initial 1 s doubling, plus up to 1 s of jitter
    for attempt, waited in enumerate(sleeps.calls):
        assert 2**attempt <= waited <= 2**attempt + 1


def test_timeout_is_retried(warehouse, state, fake, sleeps):
    warehouse.replace("audience_customers", [customer_row(1)])
    fake.inject("webhook", Fault(status=None, delay=0.6))  # answers, but after the client gave up
    result = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps, timeout=0.2), state)

    assert (result.status, result.adds, result.retries) == ("succeeded", 1, 1)
    assert customer_id(1) in fake.webhook.records


def test_exhausted_retries_leave_the_batch_unacknowledged_for_the_next_run(warehouse, state, fake, sleeps):
    warehouse.replace("audience_customers", [customer_row(i) for i in range(4)])
    fake.inject("webhook", Fault(500), Fault(500), Fault(500), Fault(500))
    failed = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps, batch_size=2, max_attempts=3), state)

    assert (failed.status, failed.batches, failed.failed_batches, failed.adds, failed.retries) == (
        "failed",
        0,
        1,
        0,
        2,
    )
    assert "gave up after 3 attempts" in failed.error
    assert state.load_state("crm_webhook").num_rows == 0

    retried = run_sync(
        CUSTOMERS, warehouse.source, webhook(fake, sleeps, batch_size=2, max_attempts=3), state
    )
    assert (retried.status, retried.resumed, retried.run_id) == ("succeeded", True, failed.run_id)
    assert (retried.adds, retried.batches) == (4, 2)
    assert sorted(delivered_keys(fake)) == [customer_id(i) for i in range(4)]


def test_partial_batch_failure_stores_rejects_and_retries_them_until_fixed(warehouse, state, fake, sleeps):
    warehouse.replace(
        "audience_email", [email_row(i) for i in range(4)] + [email_row(4, email="not-an-email")]
    )
    warehouse.replace("customer_consent", [consent_row(i, "email") for i in range(5)])
    fake.klaviyo.reject_emails = {"person2@example.com": "This email address is on the suppression list"}

    first = run_sync(EMAIL, warehouse.source, klaviyo(fake, sleeps), state)
    assert (first.status, first.adds, first.rejects) == ("succeeded", 3, 2)
    rejects = {r["sync_key"]: r for r in state.rejects("klaviyo_lists")}
    assert (
        rejects[f"{customer_id(2)}:newsletter"]["reason"] == "This email address is on the suppression list"
    )
    assert rejects[f"{customer_id(4)}:newsletter"]["reason"] == "Invalid email address: not-an-email"
    assert fake.klaviyo.list_emails("LIST_NEWS") == {f"person{i}@example.com" for i in (0, 1, 3)}

    second = run_sync(EMAIL, warehouse.source, klaviyo(fake, sleeps), state)  # still refused: tried again
    assert (second.adds, second.rejects) == (0, 2)
    assert {r["attempts"] for r in state.rejects("klaviyo_lists")} == {2}

    fake.klaviyo.reject_emails = {}
    warehouse.replace("audience_email", [email_row(i) for i in range(5)])  # the mart fixes the bad email
    third = run_sync(EMAIL, warehouse.source, klaviyo(fake, sleeps), state)
    assert (third.adds, third.rejects) == (2, 0)
    assert state.rejects("klaviyo_lists") == []
    assert fake.klaviyo.list_emails("LIST_NEWS") == {f"person{i}@example.com" for i in range(5)}


def test_crash_after_a_committed_batch_resumes_with_the_remaining_batches(warehouse, state, fake, sleeps):
    warehouse.replace("audience_customers", [customer_row(i) for i in range(6)])

    def crash_after_first_batch(batch, _outcome):
        if batch.seq == 1:
            raise Crash

    with pytest.raises(Crash):
        run_sync(
            CUSTOMERS,
            warehouse.source,
            webhook(fake, sleeps, batch_size=2),
            state,
            hooks=SyncHooks(after_commit=crash_after_first_batch),
        )
    assert len(fake.received("webhook")) == 1
    keys_before = {r.headers["idempotency-key"] for r in fake.received("webhook")}

    resumed = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps, batch_size=2), state)
    assert (resumed.resumed, resumed.batches, resumed.adds) == (True, 2, 4)
    requests = fake.received("webhook")
    assert [r.body["batch_seq"] for r in requests] == [1, 2, 3]
    assert not keys_before & {r.headers["idempotency-key"] for r in requests[1:]}
    delivered = delivered_keys(fake)
    assert sorted(delivered) == [customer_id(i) for i in range(6)]  # each exactly once

    after = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps, batch_size=2), state)
    assert (after.resumed, after.batches) == (False, 0)


def test_crash_after_sending_before_commit_resends_the_same_idempotent_batch(warehouse, state, fake, sleeps):
    warehouse.replace("audience_customers", [customer_row(i) for i in range(6)])

    def crash_after_second_send(batch, _outcome):
        if batch.seq == 2:
            raise Crash

    with pytest.raises(Crash):
        run_sync(
            CUSTOMERS,
            warehouse.source,
            webhook(fake, sleeps, batch_size=2),
            state,
            hooks=SyncHooks(after_send=crash_after_second_send),
        )
    resumed = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps, batch_size=2), state)

    requests = fake.received("webhook")
    assert [r.body["batch_seq"] for r in requests] == [1, 2, 2, 3]
    assert requests[1].headers["idempotency-key"] == requests[2].headers["idempotency-key"]
    assert fake.webhook.duplicate_deliveries == 1  # the receiver applied batch 2 once
    assert len(fake.webhook.applied_batches) == 3
    assert set(fake.webhook.records) == {customer_id(i) for i in range(6)}
    assert (resumed.adds, resumed.batches) == (4, 2)


def test_a_resumed_batch_whose_rows_changed_is_superseded_not_resent(warehouse, state, fake, sleeps):
    warehouse.replace("audience_customers", [customer_row(i) for i in range(4)])

    def crash_after_first_send(batch, _outcome):
        raise Crash

    with pytest.raises(Crash):
        run_sync(
            CUSTOMERS,
            warehouse.source,
            webhook(fake, sleeps, batch_size=2),
            state,
            hooks=SyncHooks(after_send=crash_after_first_send),
        )
    # Before the next run, customer 0 changes: the planned batch 1 no longer describes the change to send.
    warehouse.replace(
        "audience_customers", [customer_row(0, loyalty_tier="gold"), *map(customer_row, range(1, 4))]
    )
    resumed = run_sync(CUSTOMERS, warehouse.source, webhook(fake, sleeps, batch_size=2), state)

    assert resumed.adds == 4
    statuses = dict(state.query("select batch_seq, status from {schema}.sync_batches order by batch_seq"))
    assert statuses == {1: "superseded", 2: "acked", 3: "acked"}
    assert fake.webhook.records[customer_id(0)]["loyalty_tier"] == "gold"


def test_rate_limiter_spaces_requests():
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(4.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        limiter.wait()
    assert waits == [0.25, 0.25]
