"""The plumbing shared by the fake APIs: requests log, fault injection, JSON responses."""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Fault:
    """Injected into the next request of a route: wait `delay` seconds, then answer `status` (with
    Retry-After when given), or answer normally when `status` is None (a slow but good response)."""

    status: int | None = 500
    retry_after: float | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        return b"" if self.body is None else json.dumps(self.body).encode()


@dataclass(frozen=True)
class Received:
    route: str
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int


class Recorder:
    """Requests received and faults pending, shared by the fake APIs of one server (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.requests: list[Received] = []
        self._faults: dict[str, deque[Fault]] = {}

    def inject(self, route: str, *faults: Fault) -> None:
        with self.lock:
            self._faults.setdefault(route, deque()).extend(faults)

    def next_fault(self, route: str) -> Fault | None:
        with self.lock:
            pending = self._faults.get(route)
            return pending.popleft() if pending else None

    def record(self, received: Received) -> None:
        with self.lock:
            self.requests.append(received)

    def received(self, route: str | None = None, *, status: int | None = None) -> list[Received]:
        with self.lock:
            return [
                r
                for r in self.requests
                if (route is None or r.route == route) and (status is None or r.status == status)
            ]

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self._faults.clear()


def fault_response(fault: Fault, error_body: Any) -> Response:
    headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
    return Response(fault.status or 500, error_body, headers)


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except json.JSONDecodeError:
        return None
