"""A webhook receiver that verifies signatures and timestamps and applies each idempotency key once."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from cdp_orchestration.activation.fake_servers.base import Response
from cdp_orchestration.activation.signing import verify


class FakeWebhookReceiver:
    def __init__(self, secret: str, *, path: str = "/webhook", now: Callable[[], float] = time.time) -> None:
        self.secret = secret
        self.path = path
        self.now = now
        self.records: dict[str, dict[str, Any]] = {}
        self.applied_batches: list[str] = []
        self.duplicate_deliveries = 0
        self.refused: list[str] = []
        # sync_key -> reason: answered as a rejected result, to exercise partial batch failures.
        self.reject_keys: dict[str, str] = {}
        self._answers: dict[str, Response] = {}

    def route(self, method: str, path: str) -> str | None:
        return "webhook" if method == "POST" and path.rstrip("/") == self.path else None

    def handle_raw(self, headers: Mapping[str, str], raw: bytes, body: Any) -> Response:
        problem = verify(self.secret, headers, raw, now=self.now())
        if problem:
            self.refused.append(problem)
            return Response(401, {"error": problem})
        key = headers.get("idempotency-key")
        if key and key in self._answers:
            self.duplicate_deliveries += 1
            return self._answers[key]
        results = []
        for record in body["records"]:
            sync_key = record["sync_key"]
            if sync_key in self.reject_keys:
                results.append(
                    {"sync_key": sync_key, "status": "rejected", "reason": self.reject_keys[sync_key]}
                )
                continue
            if record["op"] == "remove":
                self.records.pop(sync_key, None)
            else:
                self.records[sync_key] = record["data"]
            results.append({"sync_key": sync_key, "status": "accepted"})
        answer = Response(200, {"results": results})
        if key:
            self._answers[key] = answer
            self.applied_batches.append(key)
        return answer

    def error_body(self, status: int) -> Any:
        return {"error": f"HTTP {status}"}

    def snapshot(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "applied_batches": len(self.applied_batches),
            "duplicate_deliveries": self.duplicate_deliveries,
            "refused": self.refused,
        }
