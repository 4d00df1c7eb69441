"""The Great Expectations gates: which expectations guard which mart, and which ones are critical.

Each `Suite` validates one dbt model through a SQL query (the table plus columns joined in for the check,
such as the customer's consent on the audience's channel). Its expectations are grouped into gates; each gate
becomes one Dagster asset check. A critical gate fails with ERROR severity and is blocking: the syncs reading
the model do not run in the same run. A non-critical gate warns.

The row-count gate compares the model's rows with the previous runs (see `row_count_bounds`): a drop or a
jump beyond `max_change` of the recent median is an emptied or exploded mart, not a normal day.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import great_expectations.expectations as gxe

from cdp_orchestration.warehouse import schema

EMAIL_REGEX = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
E164_REGEX = r"^\+[1-9][0-9]{6,14}$"
SHA256_REGEX = r"^[0-9a-f]{64}$"
ROW_COUNT_GATE = "gx_row_count"


@dataclass(frozen=True)
class Gate:
    name: str
    description: str
    critical: bool
    expectations: tuple[gxe.Expectation, ...]

    def __post_init__(self) -> None:
        # Results come back per expectation; the gate name in `meta` maps each one to its Dagster check.
        for expectation in self.expectations:
            expectation.meta = {**(expectation.meta or {}), "gate": self.name}


@dataclass(frozen=True)
class Suite:
    model: str
    query: str
    gates: tuple[Gate, ...]

    @property
    def gate_names(self) -> list[str]:
        return [g.name for g in self.gates] + [ROW_COUNT_GATE]


@dataclass(frozen=True)
class RowCountBounds:
    min_rows: int
    max_rows: int
    baseline: float
    history: tuple[int, ...]


def row_count_bounds(previous_counts: Sequence[int], max_change: float) -> RowCountBounds | None:
    """Bounds around the median of the previous runs' counts (None on a first run: nothing to compare)."""
    if not previous_counts:
        return None
    baseline = statistics.median(previous_counts)
    return RowCountBounds(
        min_rows=int(baseline * (1 - max_change)),
        max_rows=int(baseline * (1 + max_change)) + 1,
        baseline=baseline,
        history=tuple(previous_counts),
    )


def row_count_gate(bounds: RowCountBounds | None) -> Gate:
    description = "Row count within bounds of the median of previous runs (a big drop or jump fails)."
    if bounds is None:
        return Gate(ROW_COUNT_GATE, description, True, (gxe.ExpectTableRowCountToBeBetween(min_value=0),))
    return Gate(
        ROW_COUNT_GATE,
        description,
        True,
        (gxe.ExpectTableRowCountToBeBetween(min_value=bounds.min_rows, max_value=bounds.max_rows),),
    )


def _unique_key(column: str) -> Gate:
    return Gate(
        "gx_keys",
        f"`{column}` is present and unique.",
        True,
        (gxe.ExpectColumnValuesToNotBeNull(column=column), gxe.ExpectColumnValuesToBeUnique(column=column)),
    )


def _formats(critical: bool, **regex_by_column: str) -> Gate:
    columns = ", ".join(f"`{c}`" for c in regex_by_column)
    return Gate(
        "gx_formats",
        f"{columns} well formed (email, E.164 phone, SHA-256 hex), where present.",
        critical,
        tuple(gxe.ExpectColumnValuesToMatchRegex(column=c, regex=r) for c, r in regex_by_column.items()),
    )


def _consent(channel: str | None) -> Gate:
    expectations: list[gxe.Expectation] = [
        gxe.ExpectColumnValuesToBeInSet(column="is_deleted", value_set=[False])
    ]
    description = "No row for a customer who asked for deletion."
    if channel:
        expectations.append(gxe.ExpectColumnValuesToBeInSet(column="consent_status", value_set=["granted"]))
        description = (
            f"Every row's customer has granted {channel} consent; " + description[0].lower() + description[1:]
        )
    return Gate("gx_consent", description, True, tuple(expectations))


def _audience_query(marts: str, model: str, columns: str, channel: str | None) -> str:
    consent_column = "consent.consent_status" if channel else "cast(null as varchar)"
    consent_join = (
        f"""left join {marts}.customer_consent as consent
            on audience.customer_id = consent.customer_id and consent.channel = '{channel}'"""
        if channel
        else ""
    )
    return f"""
        select {columns}, {consent_column} as consent_status, deletions.customer_id is not null as is_deleted
        from {marts}.{model} as audience
        {consent_join}
        left join {marts}.customer_deletions as deletions on audience.customer_id = deletions.customer_id
    """


def suites(marts: str = schema("marts")) -> tuple[Suite, ...]:
    """The suites, reading the marts from the schema `marts`, bare so that each engine applies its own case
    rule (DuckDB's `main_marts`; on Snowflake `ANALYTICS_marts` is ANALYTICS_MARTS, where dbt builds)."""
    return (
        Suite(
            "dim_customers",
            f"select customer_id, email, phone_e164 from {marts}.dim_customers",
            (
                _unique_key("customer_id"),
                _formats(False, email=EMAIL_REGEX, phone_e164=E164_REGEX),
            ),
        ),
        Suite(
            "customer_identifiers",
            f"""select customer_identifier_id, customer_id,
                       case when id_type = 'email' then match_key end as email_match_key,
                       case when id_type = 'phone' then match_key end as phone_match_key
                from {marts}.customer_identifiers""",
            (
                _unique_key("customer_identifier_id"),
                _formats(False, email_match_key=EMAIL_REGEX, phone_match_key=E164_REGEX),
            ),
        ),
        Suite(
            "audience_email",
            _audience_query(marts, "audience_email", "audience.sync_key, audience.email", "email"),
            (_unique_key("sync_key"), _formats(True, email=EMAIL_REGEX), _consent("email")),
        ),
        Suite(
            "audience_sms",
            _audience_query(marts, "audience_sms", "audience.sync_key, audience.phone_e164", "sms"),
            (_unique_key("sync_key"), _formats(True, phone_e164=E164_REGEX), _consent("sms")),
        ),
        Suite(
            "audience_ads",
            _audience_query(
                marts,
                "audience_ads",
                "audience.sync_key, audience.email_sha256, audience.phone_sha256",
                "ads",
            ),
            (
                _unique_key("sync_key"),
                _formats(True, email_sha256=SHA256_REGEX, phone_sha256=SHA256_REGEX),
                _consent("ads"),
            ),
        ),
        Suite(
            "audience_customers",
            _audience_query(
                marts, "audience_customers", "audience.sync_key, audience.email, audience.phone_e164", None
            ),
            (
                _unique_key("sync_key"),
                _formats(True, email=EMAIL_REGEX, phone_e164=E164_REGEX),
                _consent(None),
            ),
        ),
    )
