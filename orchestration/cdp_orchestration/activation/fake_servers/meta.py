"""A fake of Meta's Custom Audience users endpoint (shapes as in destinations/meta.py)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from cdp_orchestration.activation.fake_servers.base import Response

USERS_PATH = re.compile(r"^/(v\d+\.\d+)/([^/]+)/users/?$")
KEYS = {
    "EXTERN_ID",
    "EMAIL",
    "PHONE",
    "GEN",
    "DOBY",
    "DOBM",
    "DOBD",
    "LN",
    "FN",
    "FI",
    "CT",
    "ST",
    "ZIP",
    "MADID",
    "COUNTRY",
}
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_ROWS = 10_000


def graph_error(status: int, message: str, code: int, subcode: int | None = None) -> Response:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": uuid.uuid4().hex[:11],
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return Response(status, {"error": error})


class FakeMeta:
    def __init__(self, access_token: str) -> None:
        self.access_token = access_token
        self.audiences: dict[str, set[tuple[str, ...]]] = {}
        self.sessions: dict[int, list[dict[str, Any]]] = {}
        # hashed value -> reason: reported in invalid_entry_samples, to exercise partial batch failures.
        self.reject_values: dict[str, str] = {}

    def route(self, method: str, path: str) -> str | None:
        if USERS_PATH.match(path) and method in ("POST", "DELETE"):
            return "meta.add" if method == "POST" else "meta.remove"
        return None

    def handle(self, route: str, path: str, headers: Mapping[str, str], body: Any) -> Response:
        token = headers.get("authorization", "").removeprefix("Bearer ")
        if token != self.access_token and (body or {}).get("access_token") != self.access_token:
            return graph_error(400, "Invalid OAuth access token.", 190)
        match = USERS_PATH.match(path)
        assert match is not None
        audience_id = match.group(2)
        payload = (body or {}).get("payload")
        if not isinstance(payload, dict):
            return graph_error(400, "(#100) The parameter payload is required", 100)
        schema, data = payload.get("schema"), payload.get("data")
        if not isinstance(schema, list) or not schema or not set(schema) <= KEYS:
            return graph_error(400, f"(#100) Invalid schema: {schema}", 100)
        if not isinstance(data, list) or not all(
            isinstance(row, list) and len(row) == len(schema) for row in data
        ):
            return graph_error(400, "(#100) Each data row must have one value per schema key", 100)
        if len(data) > MAX_ROWS:
            return graph_error(400, f"(#100) At most {MAX_ROWS} users per request", 100)
        session = (body or {}).get("session")
        if session is not None:
            missing = {"session_id", "batch_seq", "last_batch_flag"} - set(session)
            if (
                missing
                or not isinstance(session["session_id"], int)
                or not isinstance(session["batch_seq"], int)
            ):
                return graph_error(400, f"(#100) Invalid session, missing {sorted(missing)}", 100)
            self.sessions.setdefault(session["session_id"], []).append(
                {"route": route, **session, "rows": len(data)}
            )
        invalid: dict[str, str] = {}
        valid_rows = []
        for row in data:
            problems = {
                v: "Invalid SHA-256 hash"
                for k, v in zip(schema, row, strict=True)
                if v and k != "EXTERN_ID" and not SHA256.match(str(v))
            }
            problems.update({v: self.reject_values[v] for v in row if v in self.reject_values})
            if problems:
                invalid.update(problems)
            else:
                valid_rows.append(tuple(row))
        members = self.audiences.setdefault(audience_id, set())
        if route == "meta.add":
            members.update(valid_rows)
        else:
            members.difference_update(valid_rows)
        return Response(
            200,
            {
                "audience_id": audience_id,
                "session_id": str((session or {}).get("session_id", "")),
                "num_received": len(data),
                "num_invalid_entries": len(data) - len(valid_rows),
                "invalid_entry_samples": invalid,
            },
        )

    def error_body(self, status: int) -> Any:
        """Injected 400 and 429 answers are throttling errors, as Meta sends them (code 80003 on HTTP 400)."""
        if status in (400, 429):
            return graph_error(
                status, "(#80003) There have been too many calls to this ad-account.", 80003
            ).body
        return graph_error(
            status, "An unexpected error has occurred. Please retry your request later.", 2
        ).body

    def snapshot(self) -> dict[str, Any]:
        return {
            "audiences": {k: sorted(v) for k, v in self.audiences.items()},
            "sessions": {str(k): v for k, v in self.sessions.items()},
        }
