"""HTTP for the API destinations: httpx with tenacity retries, Retry-After honoured, and a steady rate.

Retried: timeouts and transport errors, 429 and 5xx (and whatever a destination's `is_retryable` adds, e.g.
Meta's throttling codes). The wait is the response's Retry-After when it has one, else exponential backoff
with jitter. `sleep` and `clock` are injectable so tests assert the waits without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import tenacity

from cdp_orchestration.activation.model import DestinationError


class RetryableResponse(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code} from {response.request.method} {response.request.url}")
        self.response = response


def default_is_retryable(response: httpx.Response) -> bool:
    return response.status_code == 429 or response.status_code >= 500


def retry_after_seconds(
    response: httpx.Response, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> float | None:
    """Retry-After as seconds: either delay-seconds or an HTTP-date (RFC 9110 section 10.2.3)."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max((parsedate_to_datetime(value) - now()).total_seconds(), 0.0)
    except (TypeError, ValueError):
        return None


class wait_retry_after(tenacity.wait.wait_base):
    """Wait what the server asked for (capped), else fall back to `fallback`."""

    def __init__(self, fallback: tenacity.wait.wait_base, cap: float) -> None:
        self.fallback = fallback
        self.cap = cap

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, RetryableResponse):
            seconds = retry_after_seconds(error.response)
            if seconds is not None:
                return min(seconds, self.cap)
        return self.fallback(retry_state)


class RateLimiter:
    """Spaces requests at least 1/requests_per_second apart (the destination's steady rate)."""

    def __init__(
        self,
        requests_per_second: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / requests_per_second if requests_per_second else 0.0
        self.clock = clock
        self.sleep = sleep
        self._next_at = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if now < self._next_at:
            self.sleep(self._next_at - now)
            now = self._next_at
        self._next_at = now + self.interval


class HttpTransport:
    """One httpx client per destination; `request` keeps to the rate limit named by `rate_limit`, retries,
    and raises `DestinationError` when it gives up."""

    def __init__(
        self,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        rate_limits: Mapping[str, float | None] | None = None,
        max_attempts: int = 6,
        backoff_initial: float = 1.0,
        backoff_max: float = 60.0,
        retry_after_cap: float = 300.0,
        is_retryable: Callable[[httpx.Response], bool] = default_is_retryable,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = httpx.Client(base_url=base_url, headers=dict(headers or {}), timeout=timeout)
        # One steady rate per endpoint family (APIs limit endpoints separately); "default" for the rest.
        self.limiters = {
            name: RateLimiter(rate, clock=clock, sleep=sleep)
            for name, rate in {"default": None, **(rate_limits or {})}.items()
        }
        self.is_retryable = is_retryable
        self.retries = 0
        self._retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(max_attempts),
            wait=wait_retry_after(
                tenacity.wait_exponential_jitter(
                    initial=backoff_initial, max=backoff_max, jitter=backoff_initial
                ),
                cap=retry_after_cap,
            ),
            retry=tenacity.retry_if_exception_type((httpx.TransportError, RetryableResponse)),
            sleep=sleep,
            before_sleep=self._count_retry,
        )

    def _count_retry(self, _state: tenacity.RetryCallState) -> None:
        self.retries += 1

    def request(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        rate_limit: str = "default",
        sign: Callable[[bytes], Mapping[str, str]] | None = None,
    ) -> httpx.Response:
        """`sign`, given the body, returns headers computed afresh for every attempt (signatures)."""
        limiter = self.limiters[rate_limit]

        def send() -> httpx.Response:
            limiter.wait()
            attempt_headers = {**(headers or {}), **(sign(content or b"") if sign else {})}
            response = self.client.request(method, url, json=json, content=content, headers=attempt_headers)
            if self.is_retryable(response):
                raise RetryableResponse(response)
            return response

        try:
            return self._retrying(send)
        except tenacity.RetryError as exc:
            last = exc.last_attempt.exception()
            attempts = exc.last_attempt.attempt_number
            raise DestinationError(
                f"{method} {url}: gave up after {attempts} attempts: {last}", retries=attempts - 1
            ) from last

    def close(self) -> None:
        self.client.close()
