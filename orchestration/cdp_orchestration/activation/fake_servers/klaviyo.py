"""A fake of Klaviyo's profile and list-membership endpoints (shapes as in destinations/klaviyo.py)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from cdp_orchestration.activation.fake_servers.base import Response

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
REVISION = re.compile(r"^\d{4}-\d{2}-\d{2}(\.\w+)?$")
LIST_PATH = re.compile(r"^/api/lists/([^/]+)/relationships/profiles/?$")
MAX_LIST_MEMBERS = 1000


def error(status: int, code: str, title: str, detail: str, pointer: str | None = None) -> Response:
    item: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "status": status,
        "code": code,
        "title": title,
        "detail": detail,
    }
    if pointer:
        item["source"] = {"pointer": pointer}
    return Response(status, {"errors": [item]})


class FakeKlaviyo:
    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.profiles: dict[str, dict[str, Any]] = {}
        # (identifier, value) -> profile id, for external_id and email: a lookup is one probe, as on
        # Klaviyo, so that a sync of hundreds of thousands of profiles is not quadratic here.
        self._identified: dict[tuple[str, str], str] = {}
        self.lists: dict[str, set[str]] = {}
        self.deleted_profiles: list[str] = []
        # email -> reason: answered 400 like an invalid value, to exercise partial batch failures.
        self.reject_emails: dict[str, str] = {}

    def route(self, method: str, path: str) -> str | None:
        if path.rstrip("/") == "/api/profile-import" and method == "POST":
            return "klaviyo.profile_import"
        if LIST_PATH.match(path) and method in ("POST", "DELETE"):
            return "klaviyo.list_add" if method == "POST" else "klaviyo.list_remove"
        if path.rstrip("/") == "/api/data-privacy-deletion-jobs" and method == "POST":
            return "klaviyo.deletion"
        return None

    def handle(self, route: str, path: str, headers: Mapping[str, str], body: Any) -> Response:
        if headers.get("authorization") != f"Klaviyo-API-Key {self.api_key}":
            return error(
                401,
                "not_authenticated",
                "Authentication credentials were not provided.",
                "Missing or invalid private key.",
            )
        if not REVISION.match(headers.get("revision", "")):
            return error(400, "invalid", "Invalid input.", "A valid revision header is required.")
        if "json" not in headers.get("content-type", ""):
            return error(
                415, "unsupported_media_type", "Unsupported media type.", "Send application/vnd.api+json."
            )
        if not isinstance(body, dict) or "data" not in body:
            return error(
                400, "invalid", "Invalid input.", "Request body must be a JSON:API document.", "/data"
            )
        if route == "klaviyo.profile_import":
            return self._profile_import(body["data"])
        if route == "klaviyo.deletion":
            return self._deletion(body["data"])
        match = LIST_PATH.match(path)
        assert match is not None
        return self._membership(route, match.group(1), body["data"])

    def _profile_import(self, data: Any) -> Response:
        if not isinstance(data, dict) or data.get("type") != "profile":
            return error(400, "invalid", "Invalid input.", "data.type must be 'profile'.", "/data/type")
        attributes = data.get("attributes") or {}
        email, phone, external_id = (
            attributes.get("email"),
            attributes.get("phone_number"),
            attributes.get("external_id"),
        )
        if not (email or phone or external_id):
            return error(
                400,
                "invalid",
                "Invalid input.",
                "One of email, phone_number or external_id is required.",
                "/data/attributes",
            )
        if email and not EMAIL.match(email):
            return error(
                400, "invalid", "Invalid input.", f"Invalid email address: {email}", "/data/attributes/email"
            )
        if email in self.reject_emails:
            return error(
                400, "invalid", "Invalid input.", self.reject_emails[email], "/data/attributes/email"
            )
        if phone and not E164.match(phone):
            return error(
                400,
                "invalid",
                "Invalid input.",
                "Invalid phone number format (E.164 expected).",
                "/data/attributes/phone_number",
            )
        existing = next(
            (
                self._identified[key]
                for key in (("external_id", external_id), ("email", email))
                if key[1] and key in self._identified
            ),
            None,
        )
        profile_id = existing or "01" + uuid.uuid4().hex[:24].upper()
        self._forget(profile_id)
        self.profiles[profile_id] = {**self.profiles.get(profile_id, {}), **attributes}
        for name in ("external_id", "email"):
            if self.profiles[profile_id].get(name):
                self._identified.setdefault((name, self.profiles[profile_id][name]), profile_id)
        document = {"data": {"type": "profile", "id": profile_id, "attributes": self.profiles[profile_id]}}
        return Response(200 if existing else 201, document)

    def _membership(self, route: str, list_id: str, data: Any) -> Response:
        if not isinstance(data, list) or not all(
            isinstance(d, dict) and d.get("type") == "profile" and isinstance(d.get("id"), str) for d in data
        ):
            return error(
                400, "invalid", "Invalid input.", "data must be a list of {type: profile, id}.", "/data"
            )
        if len(data) > MAX_LIST_MEMBERS:
            return error(
                400, "invalid", "Invalid input.", f"At most {MAX_LIST_MEMBERS} profiles per request.", "/data"
            )
        unknown = [d["id"] for d in data if d["id"] not in self.profiles]
        if route == "klaviyo.list_add" and unknown:
            return error(
                404, "not_found", "Not found.", f"Profile(s) not found: {', '.join(unknown)}", "/data"
            )
        members = self.lists.setdefault(list_id, set())
        ids = {d["id"] for d in data}
        if route == "klaviyo.list_add":
            members |= ids
        else:
            members -= ids
        return Response(204)

    def _deletion(self, data: Any) -> Response:
        profile = ((data or {}).get("attributes") or {}).get("profile", {}).get("data", {})
        if data.get("type") != "data-privacy-deletion-job" or profile.get("type") != "profile":
            return error(
                400,
                "invalid",
                "Invalid input.",
                "Expected a data-privacy-deletion-job for a profile.",
                "/data",
            )
        profile_id = profile.get("id")
        self._forget(profile_id)
        self.profiles.pop(profile_id, None)
        for members in self.lists.values():
            members.discard(profile_id)
        self.deleted_profiles.append(profile_id)
        return Response(202)

    def _forget(self, profile_id: str) -> None:
        """Drop a profile's identifiers from the lookup (before they change, or the profile goes)."""
        for name in ("external_id", "email"):
            value = self.profiles.get(profile_id, {}).get(name)
            if value and self._identified.get((name, value)) == profile_id:
                del self._identified[(name, value)]

    def error_body(self, status: int) -> Any:
        title = "Too many requests." if status == 429 else "A server error occurred."
        return error(status, "throttled" if status == 429 else "error", title, title).body

    def snapshot(self) -> dict[str, Any]:
        return {
            "profiles": self.profiles,
            "lists": {k: sorted(v) for k, v in self.lists.items()},
            "deleted_profiles": self.deleted_profiles,
        }

    def list_emails(self, list_id: str) -> set[str]:
        return {self.profiles[p].get("email") for p in self.lists.get(list_id, set()) if p in self.profiles}
