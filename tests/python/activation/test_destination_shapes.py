"""Request and response shapes: Klaviyo's JSON:API, Meta's payload/session, the webhook's signature."""

from __future__ import annotations

import re
import time

import httpx
from cdp_orchestration.activation import Relation, SyncConfig, run_sync
from cdp_orchestration.activation.destinations import (
    KlaviyoListDestination,
    MetaCustomAudienceDestination,
    WebhookDestination,
)
from cdp_orchestration.activation.destinations.meta import SCHEMA
from cdp_orchestration.activation.fake_servers import Fault
from cdp_orchestration.activation.hashing import normalize_phone, sha256_hex
from cdp_orchestration.activation.model import dumps
from cdp_orchestration.activation.signing import signature, signed_headers, verify

from .support import (
    KLAVIYO_KEY,
    META_TOKEN,
    WEBHOOK_SECRET,
    ads_row,
    consent_row,
    customer_id,
    customer_row,
    email_row,
)

HEX64 = re.compile(r"^[0-9a-f]{64}$")
EMAIL = SyncConfig("klaviyo_lists", Relation("main_marts.audience_email"), consent_channel="email")
ADS = SyncConfig("meta_audiences", Relation("main_marts.audience_ads"), consent_channel="ads")


def test_klaviyo_requests_follow_the_documented_shapes(warehouse, state, fake, sleeps):
    warehouse.replace("audience_email", [email_row(i) for i in range(150)] + [email_row(0, "vip")])
    warehouse.replace("customer_consent", [consent_row(i, "email") for i in range(150)])
    destination = KlaviyoListDestination(
        {"newsletter": "LIST_NEWS", "vip": "LIST_VIP"},
        base_url=fake.url,
        sleep=sleeps,
        profile_rate=None,
        list_rate=None,
    )
    result = run_sync(EMAIL, warehouse.source, destination, state)
    assert (result.adds, result.batches) == (151, 3)  # 100 + 50 newsletter, 1 vip

    for request in fake.received():
        assert request.headers["authorization"] == f"Klaviyo-API-Key {KLAVIYO_KEY}"
        assert re.match(r"^\d{4}-\d{2}-\d{2}$", request.headers["revision"])
        assert request.headers["content-type"] == "application/vnd.api+json"
        assert request.status in (200, 201, 204)

    profile = fake.received("klaviyo.profile_import")[0].body["data"]
    assert profile["type"] == "profile"
    attributes = profile["attributes"]
    assert attributes["external_id"] == customer_id(0)
    assert attributes["email"] == "person0@example.com"
    assert attributes["phone_number"] == "+447700900000"
    assert attributes["location"] == {"country": "GB"}
    assert attributes["properties"] == {"lifetime_revenue": 100.5, "loyalty_tier": "silver"}

    adds = fake.received("klaviyo.list_add")
    assert [(r.path, len(r.body["data"])) for r in adds] == [
        ("/api/lists/LIST_NEWS/relationships/profiles", 100),
        ("/api/lists/LIST_NEWS/relationships/profiles", 50),
        ("/api/lists/LIST_VIP/relationships/profiles", 1),
    ]
    assert all(set(d) == {"type", "id"} and d["type"] == "profile" for r in adds for d in r.body["data"])
    assert len(fake.klaviyo.profiles) == 150  # the vip entry reused customer 0's profile

    warehouse.replace("audience_email", [email_row(i) for i in range(150)])
    removal = run_sync(EMAIL, warehouse.source, destination, state)
    assert removal.removes == 1
    [remove] = fake.received("klaviyo.list_remove")
    assert remove.method == "DELETE"
    assert remove.body == {"data": [{"type": "profile", "id": adds[2].body["data"][0]["id"]}]}
    assert fake.klaviyo.list_emails("LIST_VIP") == set()


def test_klaviyo_unmapped_list_is_rejected_and_bad_key_fails_the_run(
    warehouse, state, fake, sleeps, monkeypatch
):
    warehouse.replace("audience_email", [email_row(1, "unknown_list")])
    warehouse.replace("customer_consent", [consent_row(1, "email")])
    destination = KlaviyoListDestination({}, base_url=fake.url, sleep=sleeps)
    result = run_sync(EMAIL, warehouse.source, destination, state)
    assert result.rejects == 1
    assert "no Klaviyo list mapped for list_key 'unknown_list'" in state.rejects("klaviyo_lists")[0]["reason"]

    monkeypatch.setenv("CDP_KLAVIYO_API_KEY", "pk_wrong")
    destination = KlaviyoListDestination(
        {"unknown_list": "L1"}, base_url=fake.url, sleep=sleeps, profile_rate=None
    )
    failed = run_sync(EMAIL, warehouse.source, destination, state)
    assert failed.status == "failed"
    assert "refused the API key" in failed.error


def test_meta_requests_follow_the_documented_shapes(warehouse, state, fake, sleeps):
    warehouse.replace(
        "audience_ads",
        [ads_row(i) for i in range(5)] + [ads_row(5, email_sha256="person5@example.com")],  # raw PII: refused
    )
    warehouse.replace("customer_consent", [consent_row(i, "ads") for i in range(6)])
    destination = MetaCustomAudienceDestination(
        {"lookalike_seed": "2380000000001"}, base_url=fake.url, batch_size=2, sleep=sleeps
    )
    result = run_sync(ADS, warehouse.source, destination, state)
    assert (result.adds, result.rejects, result.batches) == (5, 1, 3)
    assert state.rejects("meta_audiences")[0]["reason"] == "EMAIL is not a SHA-256 hex digest"

    posts = fake.received("meta.add")
    assert {r.path for r in posts} == {"/v25.0/2380000000001/users"}
    assert all(r.headers["authorization"] == f"Bearer {META_TOKEN}" for r in posts)
    for request in posts:
        payload = request.body["payload"]
        assert payload["schema"] == SCHEMA == ["EMAIL", "PHONE", "FN", "LN", "COUNTRY", "ZIP"]
        assert all(len(row) == len(SCHEMA) and all(HEX64.match(v) for v in row) for row in payload["data"])
    sessions = [r.body["session"] for r in posts]
    assert len({s["session_id"] for s in sessions}) == 1
    assert [(s["batch_seq"], s["last_batch_flag"], s["estimated_num_total"]) for s in sessions] == [
        (1, False, 6),
        (2, False, 6),
        (3, True, 6),
    ]
    # Phone: E.164 digits without '+' (Meta's normalisation), hashed.
    first_row = posts[0].body["payload"]["data"][0]
    assert (
        first_row[SCHEMA.index("PHONE")]
        == sha256_hex(normalize_phone("+447700900000"))
        == sha256_hex("447700900000")
    )
    assert first_row[SCHEMA.index("COUNTRY")] == sha256_hex("gb")
    assert len(fake.meta.audiences["2380000000001"]) == 5


def test_meta_invalid_entries_become_rejects_and_changed_identifiers_replace_the_old_row(
    warehouse, state, fake, sleeps
):
    rows = [ads_row(i) for i in range(3)]
    warehouse.replace("audience_ads", rows)
    warehouse.replace("customer_consent", [consent_row(i, "ads") for i in range(3)])
    fake.meta.reject_values = {rows[1]["email_sha256"]: "Invalid email hash"}
    destination = MetaCustomAudienceDestination({"lookalike_seed": "AUD1"}, base_url=fake.url, sleep=sleeps)

    first = run_sync(ADS, warehouse.source, destination, state)
    assert (first.adds, first.rejects) == (2, 1)
    assert state.rejects("meta_audiences")[0]["reason"] == "Invalid email hash"
    response = fake.received("meta.add")[0]
    assert response.status == 200

    fake.meta.reject_values = {}
    new_email = sha256_hex("new0@example.com")
    warehouse.replace("audience_ads", [ads_row(0, email_sha256=new_email), rows[1], rows[2]])
    second = run_sync(ADS, warehouse.source, destination, state)
    assert (second.adds, second.updates, second.rejects) == (1, 1, 0)
    [replaced] = fake.received("meta.remove")
    assert replaced.body["payload"]["data"][0][0] == rows[0]["email_sha256"]
    emails = {row[0] for row in fake.meta.audiences["AUD1"]}
    assert emails == {new_email, rows[1]["email_sha256"], rows[2]["email_sha256"]}


def test_meta_throttling_error_code_is_retried(warehouse, state, fake, sleeps):
    warehouse.replace("audience_ads", [ads_row(1)])
    warehouse.replace("customer_consent", [consent_row(1, "ads")])
    fake.inject("meta.add", Fault(400))  # Meta throttles with HTTP 400 and error code 80003
    destination = MetaCustomAudienceDestination({"lookalike_seed": "AUD1"}, base_url=fake.url, sleep=sleeps)
    result = run_sync(ADS, warehouse.source, destination, state)
    assert (result.adds, result.retries) == (1, 1)


def test_webhook_receiver_verifies_signature_and_freshness(warehouse, state, fake, sleeps, monkeypatch):
    warehouse.replace("audience_customers", [customer_row(1)])
    config = SyncConfig("crm_webhook", Relation("main_marts.audience_customers"))
    ok = run_sync(config, warehouse.source, WebhookDestination(f"{fake.url}/webhook", sleep=sleeps), state)
    assert ok.adds == 1
    [request] = fake.received("webhook")
    body = dumps(request.body).encode()
    assert request.headers["x-cdp-signature"] == signature(
        WEBHOOK_SECRET, int(request.headers["x-cdp-timestamp"]), body
    )

    warehouse.replace("audience_customers", [customer_row(1, loyalty_tier="gold")])
    monkeypatch.setenv("CDP_WEBHOOK_SECRET", "not-the-secret")
    forged = run_sync(
        config, warehouse.source, WebhookDestination(f"{fake.url}/webhook", sleep=sleeps), state
    )
    assert forged.status == "failed"
    assert fake.webhook.refused == ["signature mismatch"]

    monkeypatch.setenv("CDP_WEBHOOK_SECRET", WEBHOOK_SECRET)
    replayed = WebhookDestination(f"{fake.url}/webhook", sleep=sleeps, wall_clock=lambda: time.time() - 3600)
    stale = run_sync(config, warehouse.source, replayed, state)
    assert stale.status == "failed"
    assert fake.webhook.refused[-1] == "timestamp outside the 300s tolerance"
    assert fake.webhook.records[customer_id(1)]["loyalty_tier"] == "silver"


def test_signature_helpers():
    body = b'{"a":1}'
    headers = signed_headers("s3cret", 1_700_000_000, body)
    assert verify("s3cret", headers, body, now=1_700_000_100) is None
    assert verify("s3cret", headers, body + b" ", now=1_700_000_100) == "signature mismatch"
    assert verify("other", headers, body, now=1_700_000_100) == "signature mismatch"
    assert verify("s3cret", headers, body, now=1_700_001_000) == "timestamp outside the 300s tolerance"
    assert verify("s3cret", {}, body, now=0) == "missing signature or timestamp header"


def test_debug_endpoints_expose_state_and_inject_faults(fake):
    with httpx.Client(base_url=fake.url) as client:
        assert (
            client.post("/_debug/faults", json={"route": "webhook", "faults": [{"status": 503}]}).status_code
            == 204
        )
        assert client.post("/webhook", content=b"{}").status_code == 503
        assert client.post("/webhook", content=b"{}").status_code == 401  # unsigned
        state = client.get("/_debug/state").json()
        assert state["requests"] == 2
        assert state["webhook"]["refused"] == ["missing signature or timestamp header"]
        assert client.post("/_debug/reset").status_code == 204
        assert client.get("/_debug/state").json()["requests"] == 0
