"""An ESP list modelled on Klaviyo's list-membership API (JSON:API, revisioned).

Endpoints (https://developers.klaviyo.com/en/reference/api_overview):
- Create or Update Profile, `POST /api/profile-import` (reference: create_or_update_profile): upserts one
  profile matched on email/phone/external_id; 201 created or 200 updated, with `data.id`. Rate limit burst
  75/s, steady 700/m. The profile id is what list membership needs; it is kept in sync state.
- Add Profiles to List, `POST /api/lists/{id}/relationships/profiles` and Remove Profiles from List,
  `DELETE` on the same path (reference: add_profiles_to_list, remove_profiles_from_list): body
  `{"data": [{"type": "profile", "id": ...}]}`, 204 No Content, at most 1000 profiles per call; rate limit
  burst 10/s, steady 150/m. Batches here default to 100 profiles.
- Request Profile Deletion, `POST /api/data-privacy-deletion-jobs` (reference: request_profile_deletion):
  used for people in `customer_deletions`, so they are erased from the ESP and not only unlisted.
Every request carries `Authorization: Klaviyo-API-Key <key>` and a `revision` header; 429 answers carry
Retry-After and errors are JSON:API `{"errors": [{"status", "code", "title", "detail", "source"}]}`
(https://developers.klaviyo.com/en/docs/rate_limits_and_error_handling). Klaviyo documents no idempotency
key; these calls are idempotent by nature (profile upsert, set membership), so a resent batch is harmless.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from cdp_orchestration.activation.http import HttpTransport
from cdp_orchestration.activation.model import (
    Ack,
    Batch,
    BatchOutcome,
    Capabilities,
    DestinationError,
    Record,
    Reject,
    json_default,
)

DEFAULT_REVISION = "2025-10-15"
JSON_API = "application/vnd.api+json"
# Columns the audience_email mart carries that map onto Klaviyo's profile attributes; every other column
# except the keys becomes a custom property.
ATTRIBUTE_COLUMNS = {
    "email": "email",
    "phone_e164": "phone_number",
    "first_name": "first_name",
    "last_name": "last_name",
}
NOT_PROPERTIES = {"sync_key", "customer_id", "list_key", "country_code", *ATTRIBUTE_COLUMNS}


def jsonapi_error(response: httpx.Response) -> str:
    """The `detail` (or `title`) of the first JSON:API error, else the status line."""
    try:
        errors = response.json().get("errors") or []
    except (json.JSONDecodeError, AttributeError):
        errors = []
    if errors:
        first = errors[0]
        return str(first.get("detail") or first.get("title") or first.get("code"))
    return f"HTTP {response.status_code}"


def profile_attributes(record: Record) -> dict[str, Any]:
    payload = record.payload
    attributes: dict[str, Any] = {"external_id": record.customer_id}
    for column, attribute in ATTRIBUTE_COLUMNS.items():
        if payload.get(column) is not None:
            attributes[attribute] = payload[column]
    if payload.get("country_code"):
        attributes["location"] = {"country": payload["country_code"]}
    properties = {k: v for k, v in payload.items() if k not in NOT_PROPERTIES and v is not None}
    if properties:
        attributes["properties"] = json.loads(json.dumps(properties, default=json_default))
    return attributes


class KlaviyoListDestination:
    """Keeps Klaviyo lists in step with `audience_email`: `list_ids` maps each `list_key` to a list id."""

    def __init__(
        self,
        list_ids: Mapping[str, str],
        *,
        base_url: str = "https://a.klaviyo.com",
        api_key_env: str = "CDP_KLAVIYO_API_KEY",
        revision: str = DEFAULT_REVISION,
        batch_size: int = 100,
        profile_rate: float | None = 700 / 60,
        list_rate: float | None = 150 / 60,
        deletion_rate: float | None = 60 / 60,
        request_deletion: bool = True,
        timeout: float = 30.0,
        max_attempts: int = 6,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        api_key = os.environ.get(api_key_env)
        if not api_key:
            raise ValueError(f"set {api_key_env} to the Klaviyo private API key")
        self.list_ids = dict(list_ids)
        self.request_deletion = request_deletion
        self._erasures: dict[tuple[str, str], str | None] = {}
        self._batch_size = batch_size
        self._list_rate = list_rate
        self.http = HttpTransport(
            base_url,
            headers={
                "Authorization": f"Klaviyo-API-Key {api_key}",
                "revision": revision,
                "accept": JSON_API,
                "content-type": JSON_API,
            },
            timeout=timeout,
            rate_limits={"profiles": profile_rate, "lists": list_rate, "deletions": deletion_rate},
            max_attempts=max_attempts,
            sleep=sleep,
        )

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            name="klaviyo",
            batch_size=self._batch_size,
            requests_per_second=self._list_rate,
            partition_by="list_key",
        )

    def close(self) -> None:
        self.http.close()

    def _check_auth(self, response: httpx.Response) -> None:
        if response.status_code in (401, 403):
            raise DestinationError(f"Klaviyo refused the API key: {jsonapi_error(response)}")

    def upsert(self, batch: Batch) -> BatchOutcome:
        retries_before = self.http.retries
        list_id = self.list_ids.get(batch.partition or "")
        if list_id is None:
            reason = f"no Klaviyo list mapped for list_key {batch.partition!r}"
            return BatchOutcome(rejects=[Reject(r.sync_key, reason) for r in batch.records])
        rejects: list[Reject] = []
        profiles: list[tuple[Record, str]] = []
        for record in batch.records:
            attributes = profile_attributes(record)
            if not ({"email", "phone_number"} & attributes.keys()):
                rejects.append(Reject(record.sync_key, "profile has neither email nor phone_number"))
                continue
            response = self.http.request(
                "POST",
                "/api/profile-import",
                json={"data": {"type": "profile", "attributes": attributes}},
                rate_limit="profiles",
            )
            self._check_auth(response)
            if response.status_code in (200, 201):
                profiles.append((record, response.json()["data"]["id"]))
            else:
                rejects.append(Reject(record.sync_key, jsonapi_error(response)))
        acks: list[Ack] = []
        if profiles:
            response = self.http.request(
                "POST",
                f"/api/lists/{list_id}/relationships/profiles",
                json={"data": [{"type": "profile", "id": profile_id} for _, profile_id in profiles]},
                rate_limit="lists",
            )
            self._check_auth(response)
            if response.is_success:
                acks = [Ack(r.sync_key, {"profile_id": pid, "list_id": list_id}) for r, pid in profiles]
            else:
                reason = jsonapi_error(response)
                rejects.extend(Reject(r.sync_key, reason) for r, _ in profiles)
        return BatchOutcome(acks=acks, rejects=rejects, retries=self.http.retries - retries_before)

    def remove(self, batch: Batch) -> BatchOutcome:
        retries_before = self.http.retries
        acks: list[Ack] = []
        rejects: list[Reject] = []
        by_list: dict[str, list[tuple[Record, str]]] = {}
        for record in batch.records:
            previous = record.previous_ids or {}
            profile_id = previous.get("profile_id")
            list_id = previous.get("list_id") or self.list_ids.get(batch.partition or "")
            if not profile_id or not list_id:
                acks.append(Ack(record.sync_key))  # never reached Klaviyo: nothing to remove
                continue
            by_list.setdefault(list_id, []).append((record, profile_id))
        for list_id, members in by_list.items():
            response = self.http.request(
                "DELETE",
                f"/api/lists/{list_id}/relationships/profiles",
                json={"data": [{"type": "profile", "id": pid} for _, pid in members]},
                rate_limit="lists",
            )
            self._check_auth(response)
            if not response.is_success:
                reason = jsonapi_error(response)
                rejects.extend(Reject(r.sync_key, reason) for r, _ in members)
                continue
            for record, profile_id in members:
                if self.request_deletion and record.remove_reason == "deleted":
                    # One person leaves several lists in one run: ask for the erasure once.
                    if (batch.run_id, profile_id) not in self._erasures:
                        self._erasures[(batch.run_id, profile_id)] = self._request_deletion(profile_id)
                    failure = self._erasures[(batch.run_id, profile_id)]
                    if failure:
                        rejects.append(Reject(record.sync_key, failure))
                        continue
                acks.append(Ack(record.sync_key))
        return BatchOutcome(acks=acks, rejects=rejects, retries=self.http.retries - retries_before)

    def _request_deletion(self, profile_id: str) -> str | None:
        body = {
            "data": {
                "type": "data-privacy-deletion-job",
                "attributes": {"profile": {"data": {"type": "profile", "id": profile_id}}},
            }
        }
        response = self.http.request(
            "POST", "/api/data-privacy-deletion-jobs", json=body, rate_limit="deletions"
        )
        self._check_auth(response)
        return None if response.is_success else f"profile deletion refused: {jsonapi_error(response)}"
