"""Normalise-then-SHA-256 identifiers the way ad platforms match them.

Meta Custom Audiences (https://developers.facebook.com/docs/marketing-api/audiences/guides/custom-audiences,
"Hashing and Normalizing Data"): EMAIL trimmed and lower-cased; PHONE digits only with the country code and
no leading '+' or zeros; FN/LN lower-cased, letters only; COUNTRY two-letter ISO code lower-cased; ZIP
lower-cased without spaces (US: first five digits). Values are hashed with SHA-256 and sent as lower-case hex.

The dbt mart `audience_ads` hashes email/phone/names in SQL; these helpers are the reference the tests
compare it with, and hash the few fields the mart leaves raw (country).
"""

from __future__ import annotations

import hashlib
import re

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def is_sha256_hex(value: str | None) -> bool:
    return bool(value) and bool(_SHA256_HEX.match(value or ""))


def normalize_email(email: str) -> str:
    return email.strip().lower()


def normalize_phone(phone_e164: str) -> str:
    """'+44 7700 900123' -> '447700900123'."""
    return re.sub(r"\D", "", phone_e164).lstrip("0")


def normalize_name(name: str) -> str:
    return re.sub(r"[^\w]|[\d_]", "", name.strip().lower())


def normalize_country(country_code: str) -> str:
    return re.sub(r"[^a-z]", "", country_code.strip().lower())[:2]


def normalize_zip(postal_code: str) -> str:
    return re.sub(r"\s", "", postal_code.strip().lower())
