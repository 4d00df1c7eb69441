"""A generic signed webhook: one JSON POST per batch.

Body: `{"sync_id", "run_id", "batch_seq", "operation": "upsert" | "remove", "records": [{"sync_key",
"customer_id", "op", "remove_reason", "data"}]}` (`data` is the audience row; removes carry no data).
Headers: `X-CDP-Timestamp`, `X-CDP-Signature: sha256=<HMAC-SHA256 of "<timestamp>.<body>">` (see signing.py;
the secret comes from `CDP_WEBHOOK_SECRET`) and `Idempotency-Key`, constant for a batch across retries and
across the run that resumes it, so the receiver can drop a batch it already applied.
A 2xx answer acknowledges the batch; it may list per-record results,
`{"results": [{"sync_key", "status": "accepted" | "rejected", "reason"}]}`, to reject some records.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from cdp_orchestration.activation.http import HttpTransport
from cdp_orchestration.activation.model import (
    Ack,
    Batch,
    BatchOutcome,
    Capabilities,
    DestinationError,
    Reject,
    dumps,
)
from cdp_orchestration.activation.signing import signed_headers

IDEMPOTENCY_HEADER = "Idempotency-Key"


class WebhookDestination:
    def __init__(
        self,
        url: str,
        *,
        secret_env: str = "CDP_WEBHOOK_SECRET",
        batch_size: int = 500,
        requests_per_second: float | None = None,
        timeout: float = 30.0,
        max_attempts: int = 6,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        secret = os.environ.get(secret_env)
        if not secret:
            raise ValueError(f"set {secret_env} to the webhook signing secret")
        self._secret = secret
        self.url = url
        self._batch_size = batch_size
        self._rate = requests_per_second
        self._wall_clock = wall_clock
        self.http = HttpTransport(
            "",
            headers={"content-type": "application/json"},
            timeout=timeout,
            rate_limits={"default": requests_per_second},
            max_attempts=max_attempts,
            sleep=sleep,
        )

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            name="webhook", batch_size=self._batch_size, requests_per_second=self._rate, idempotency_keys=True
        )

    def close(self) -> None:
        self.http.close()

    def upsert(self, batch: Batch) -> BatchOutcome:
        return self._post(batch)

    def remove(self, batch: Batch) -> BatchOutcome:
        return self._post(batch)

    def _post(self, batch: Batch) -> BatchOutcome:
        retries_before = self.http.retries
        body = dumps(
            {
                "sync_id": batch.sync_id,
                "run_id": batch.run_id,
                "batch_seq": batch.seq,
                "operation": batch.kind,
                "records": [
                    {
                        "sync_key": r.sync_key,
                        "customer_id": r.customer_id,
                        "op": r.op,
                        "remove_reason": r.remove_reason,
                        "data": dict(r.payload) if r.op != "remove" else None,
                    }
                    for r in batch.records
                ],
            }
        ).encode()
        # Signed per attempt: a retry hours later (after a long Retry-After) still has a fresh timestamp.
        response = self.http.request(
            "POST",
            self.url,
            content=body,
            headers={IDEMPOTENCY_HEADER: batch.idempotency_key},
            sign=self._sign,
        )
        if response.status_code in (401, 403):
            raise DestinationError(
                f"webhook refused the request: HTTP {response.status_code} {response.text[:200]}"
            )
        retries = self.http.retries - retries_before
        if not response.is_success:
            reason = f"HTTP {response.status_code}: {response.text[:200]}"
            return BatchOutcome(rejects=[Reject(r.sync_key, reason) for r in batch.records], retries=retries)
        results: dict[str, dict[str, Any]] = {}
        if response.content:
            results = {r["sync_key"]: r for r in response.json().get("results", [])}
        acks, rejects = [], []
        for record in batch.records:
            result = results.get(record.sync_key, {"status": "accepted"})
            if result.get("status") == "rejected":
                rejects.append(Reject(record.sync_key, str(result.get("reason") or "rejected by receiver")))
            else:
                acks.append(Ack(record.sync_key))
        return BatchOutcome(acks=acks, rejects=rejects, retries=retries)

    def _sign(self, body: bytes) -> dict[str, str]:
        return signed_headers(self._secret, int(self._wall_clock()), body)
