"""Webhook signatures, Stripe-style: HMAC-SHA256 over "<timestamp>.<body>", with a replay window.

Headers: `X-CDP-Timestamp: <unix seconds>` and `X-CDP-Signature: sha256=<hex>`. The receiver recomputes the
HMAC with the shared secret, compares in constant time, and refuses timestamps outside the tolerance so a
captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

SIGNATURE_HEADER = "X-CDP-Signature"
TIMESTAMP_HEADER = "X-CDP-Timestamp"
DEFAULT_TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signature(secret, timestamp, body)}


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> str | None:
    """None when the request is authentic and fresh, else why it is not."""
    lowered = {k.lower(): v for k, v in headers.items()}
    raw_timestamp = lowered.get(TIMESTAMP_HEADER.lower())
    given = lowered.get(SIGNATURE_HEADER.lower())
    if raw_timestamp is None or given is None:
        return "missing signature or timestamp header"
    try:
        timestamp = int(raw_timestamp)
    except ValueError:
        return "timestamp is not an integer"
    if abs(now - timestamp) > tolerance:
        return f"timestamp outside the {tolerance}s tolerance"
    if not hmac.compare_digest(given, signature(secret, timestamp, body)):
        return "signature mismatch"
    return None
