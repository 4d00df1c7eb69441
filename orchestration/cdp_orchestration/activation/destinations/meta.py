"""An ad-platform audience modelled on Meta's Custom Audiences API.

Reference: https://developers.facebook.com/docs/marketing-api/reference/custom-audience/users and the guide
https://developers.facebook.com/docs/marketing-api/audiences/guides/custom-audiences
- `POST /{version}/{custom_audience_id}/users` adds, `DELETE` on the same path removes.
- Body: `payload: {"schema": [...], "data": [[...], ...]}`, multi-key schema (EMAIL, PHONE, FN, LN, COUNTRY,
  ZIP); each value normalised then SHA-256 hex, "" when unknown; at most 10,000 rows per request.
- Multi-request uploads are tied by `session: {session_id, batch_seq, last_batch_flag, estimated_num_total}`.
  The session id is derived from the run, the kind and the audience, so a resumed run continues its session.
- The answer is `{audience_id, session_id, num_received, num_invalid_entries, invalid_entry_samples}`: invalid
  rows are dropped by Meta and sampled (value -> reason); the rows they belong to are rejected here.
- Errors are `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`; codes 4, 17, 32, 613
  and 80003 are throttling (retried like a 429), 190 an invalid token.
Meta documents no idempotency key: adding or removing the same hashed rows twice leaves the audience the same.
The identifiers the audience last received are kept in state, so an update whose identifiers changed first
removes the old row, and a removal sends exactly what was added.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from cdp_orchestration.activation.hashing import is_sha256_hex, normalize_country, sha256_hex
from cdp_orchestration.activation.http import HttpTransport, default_is_retryable
from cdp_orchestration.activation.model import (
    Ack,
    Batch,
    BatchOutcome,
    Capabilities,
    DestinationError,
    Record,
    Reject,
)

DEFAULT_API_VERSION = "v25.0"
MAX_BATCH = 10_000
# Meta key -> audience_ads column; COUNTRY arrives raw (ISO alpha-2) and is normalised and hashed here.
KEY_COLUMNS = {
    "EMAIL": "email_sha256",
    "PHONE": "phone_sha256",
    "FN": "first_name_sha256",
    "LN": "last_name_sha256",
    "COUNTRY": "country_code",
    "ZIP": "postal_code_sha256",
}
SCHEMA = list(KEY_COLUMNS)
THROTTLING_CODES = {4, 17, 32, 613, 80003}
AUTH_CODES = {102, 190, 200}


def graph_error(response: httpx.Response) -> dict[str, Any]:
    try:
        error = response.json().get("error")
    except (json.JSONDecodeError, AttributeError):
        error = None
    return error if isinstance(error, dict) else {}


def is_retryable(response: httpx.Response) -> bool:
    return default_is_retryable(response) or graph_error(response).get("code") in THROTTLING_CODES


def audience_row(payload: Mapping[str, Any]) -> list[str]:
    row = []
    for key, column in KEY_COLUMNS.items():
        value = payload.get(column) or ""
        if key == "COUNTRY" and value:
            value = sha256_hex(normalize_country(value))
        row.append(str(value).lower())
    return row


def row_problem(row: list[str]) -> str | None:
    """Why a row must not be sent: never raw PII, and something Meta can match on."""
    for key, value in zip(SCHEMA, row, strict=True):
        if value and not is_sha256_hex(value):
            return f"{key} is not a SHA-256 hex digest"
    if not (row[SCHEMA.index("EMAIL")] or row[SCHEMA.index("PHONE")]):
        return "no hashed email or phone to match on"
    return None


class MetaCustomAudienceDestination:
    """Keeps Custom Audiences in step with `audience_ads`: `audience_ids` maps `audience_key` to an id."""

    def __init__(
        self,
        audience_ids: Mapping[str, str],
        *,
        base_url: str = "https://graph.facebook.com",
        api_version: str = DEFAULT_API_VERSION,
        access_token_env: str = "CDP_META_ACCESS_TOKEN",
        batch_size: int = MAX_BATCH,
        requests_per_second: float | None = None,
        timeout: float = 60.0,
        max_attempts: int = 6,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        token = os.environ.get(access_token_env)
        if not token:
            raise ValueError(f"set {access_token_env} to the Meta system-user access token")
        if batch_size > MAX_BATCH:
            raise ValueError(f"Meta accepts at most {MAX_BATCH} rows per request")
        self.audience_ids = dict(audience_ids)
        self.api_version = api_version
        self._batch_size = batch_size
        self._rate = requests_per_second
        self.http = HttpTransport(
            base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            rate_limits={"default": requests_per_second},
            max_attempts=max_attempts,
            is_retryable=is_retryable,
            sleep=sleep,
        )

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            name="meta",
            batch_size=self._batch_size,
            requests_per_second=self._rate,
            partition_by="audience_key",
        )

    def close(self) -> None:
        self.http.close()

    def _send(
        self, method: str, audience_id: str, rows: list[list[str]], session: dict[str, Any] | None
    ) -> tuple[httpx.Response, dict[str, Any]]:
        body: dict[str, Any] = {"payload": {"schema": SCHEMA, "data": rows}}
        if session:
            body["session"] = session
        response = self.http.request(method, f"/{self.api_version}/{audience_id}/users", json=body)
        error = graph_error(response)
        if response.status_code in (401, 403) or error.get("code") in AUTH_CODES:
            raise DestinationError(
                f"Meta refused the access token: {error.get('message', response.status_code)}"
            )
        return response, error

    def _session(self, batch: Batch) -> dict[str, Any]:
        seed = f"{batch.run_id}:{batch.kind}:{batch.partition}".encode()
        return {
            "session_id": int(hashlib.sha256(seed).hexdigest()[:15], 16),
            "batch_seq": batch.group_seq,
            "last_batch_flag": batch.group_seq == batch.group_total,
            "estimated_num_total": batch.group_size,
        }

    def upsert(self, batch: Batch) -> BatchOutcome:
        retries_before = self.http.retries
        audience_id = self.audience_ids.get(batch.partition or "")
        if audience_id is None:
            reason = f"no Meta custom audience mapped for audience_key {batch.partition!r}"
            return BatchOutcome(rejects=[Reject(r.sync_key, reason) for r in batch.records])
        rejects: list[Reject] = []
        sendable: list[tuple[Record, list[str]]] = []
        for record in batch.records:
            row = audience_row(record.payload)
            problem = row_problem(row)
            if problem:
                rejects.append(Reject(record.sync_key, problem))
            else:
                sendable.append((record, row))
        stale = [
            (record, previous["row"])
            for record, row in sendable
            if (previous := record.previous_ids or {}).get("row") not in (None, row)
        ]
        if stale:  # identifiers changed: the old hashed row must leave the audience
            response, error = self._send("DELETE", audience_id, [row for _, row in stale], None)
            if not response.is_success:
                failed = {r.sync_key for r, _ in stale}
                rejects.extend(Reject(k, f"removing old identifiers: {error.get('message')}") for k in failed)
                sendable = [(r, row) for r, row in sendable if r.sync_key not in failed]
        acks: list[Ack] = []
        if sendable:
            response, error = self._send(
                "POST", audience_id, [row for _, row in sendable], self._session(batch)
            )
            if response.is_success:
                invalid = response.json().get("invalid_entry_samples") or {}
                for record, row in sendable:
                    reasons = [str(invalid[v]) for v in row if v and v in invalid]
                    if reasons:
                        rejects.append(Reject(record.sync_key, "; ".join(reasons)))
                    else:
                        acks.append(Ack(record.sync_key, {"audience_id": audience_id, "row": row}))
            else:
                reason = str(error.get("message") or f"HTTP {response.status_code}")
                rejects.extend(Reject(r.sync_key, reason) for r, _ in sendable)
        return BatchOutcome(acks=acks, rejects=rejects, retries=self.http.retries - retries_before)

    def remove(self, batch: Batch) -> BatchOutcome:
        retries_before = self.http.retries
        acks: list[Ack] = []
        rejects: list[Reject] = []
        by_audience: dict[str, list[tuple[Record, list[str]]]] = {}
        for record in batch.records:
            previous = record.previous_ids or {}
            audience_id = previous.get("audience_id") or self.audience_ids.get(batch.partition or "")
            if not previous.get("row") or not audience_id:
                acks.append(Ack(record.sync_key))  # never reached Meta: nothing to remove
                continue
            by_audience.setdefault(audience_id, []).append((record, previous["row"]))
        for audience_id, members in by_audience.items():
            response, error = self._send(
                "DELETE", audience_id, [row for _, row in members], self._session(batch)
            )
            if response.is_success:
                acks.extend(Ack(r.sync_key) for r, _ in members)
            else:
                reason = str(error.get("message") or f"HTTP {response.status_code}")
                rejects.extend(Reject(r.sync_key, reason) for r, _ in members)
        return BatchOutcome(acks=acks, rejects=rejects, retries=self.http.retries - retries_before)
