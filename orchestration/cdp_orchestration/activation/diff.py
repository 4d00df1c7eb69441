"""Audience vs. state: which rows to add, update and remove, after consent and deletions are enforced.

Runs in an in-memory DuckDB over pyarrow tables, so it is the same whatever warehouse the rows came from.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from cdp_orchestration.activation.model import BatchKind, ConsentChannel, Record

STATE_SCHEMA = pa.schema(
    [
        ("sync_key", pa.string()),
        ("customer_id", pa.string()),
        ("payload_hash", pa.string()),
        ("destination_ids", pa.string()),
        ("partition_value", pa.string()),
    ]
)

# Removes first: deletions and revoked consent are the changes that must never wait behind a backlog.
KIND_ORDER: dict[BatchKind, int] = {"remove": 0, "upsert": 1}


class AudienceContractError(ValueError):
    """The audience relation breaks the contract (missing column, null or duplicate sync_key)."""


@dataclass(frozen=True)
class Change:
    record: Record
    kind: BatchKind
    partition: str | None


@dataclass(frozen=True)
class Diff:
    changes: list[Change]
    unchanged: int
    skipped_consent: int
    skipped_deleted: int
    deleted_customer_ids: frozenset[str]


def check_contract(con: duckdb.DuckDBPyConnection, columns: Sequence[str], partition_by: str | None) -> None:
    required = ["sync_key", "customer_id"] + ([partition_by] if partition_by else [])
    missing = [c for c in required if c not in columns]
    if missing:
        raise AudienceContractError(f"audience lacks column(s) {missing}; it has {list(columns)}")
    nulls, duplicates = con.execute(
        """
        select
            count(*) filter (where sync_key is null or customer_id is null),
            count(*) - count(distinct sync_key)
        from audience_rows
        """
    ).fetchall()[0]
    if nulls or duplicates:
        raise AudienceContractError(
            f"audience has {nulls} row(s) with a null sync_key/customer_id and "
            f"{duplicates} duplicate sync_key(s); sync_key must be unique and not null"
        )


def compute_diff(
    audience: pa.Table,
    state: pa.Table,
    deletions: pa.Table,
    *,
    consent: pa.Table | None = None,
    consent_channel: ConsentChannel | None = None,
    allowed_consent: Sequence[str] = ("granted",),
    partition_by: str | None = None,
) -> Diff:
    """Classify every audience row and every state row.

    A row is eligible when its customer is not in `deletions` and, for a sync with a consent channel, the
    latest consent decision for that channel is in `allowed_consent` (no decision means unknown: excluded).
    Eligible rows missing from state are adds, those whose payload hash changed are updates. State rows no
    longer eligible are removes, with the reason.
    """
    if consent_channel is not None and consent is None:
        raise ValueError(f"sync needs consent for channel {consent_channel!r} but no consent table was read")
    con = duckdb.connect()
    try:
        con.register("audience_rows", audience)
        con.register("state_rows", state)
        con.register("deletion_rows", deletions)
        check_contract(con, audience.column_names, partition_by)
        if consent_channel is None:
            consent_sql = "select null::varchar as customer_id, null::varchar as consent_status where false"
        else:
            con.register("consent_rows", consent)
            consent_sql = """
                select customer_id::varchar as customer_id, consent_status
                from consent_rows
                where channel = $channel
                qualify row_number() over (partition by customer_id order by decided_at desc nulls last) = 1
            """
        partition_sql = f'"{partition_by}"::varchar' if partition_by else "null::varchar"
        con.execute(
            f"""
            create temp table classified as
            with
            audience as (
                select
                    sync_key::varchar as sync_key,
                    customer_id::varchar as customer_id,
                    {partition_sql} as partition_value,
                    sha256(to_json(audience_rows)) as payload_hash
                from audience_rows
            ),
            deleted as (select distinct customer_id::varchar as customer_id from deletion_rows),
            consent as ({consent_sql})
            select
                audience.*,
                case
                    when deleted.customer_id is not null then 'deleted'
                    when $channel is not null
                        and not list_contains($allowed, coalesce(consent.consent_status, 'unknown'))
                        then 'no_consent'
                    else 'eligible'
                end as status
            from audience
            left join deleted on audience.customer_id = deleted.customer_id
            left join consent on audience.customer_id = consent.customer_id
            """,
            {"channel": consent_channel, "allowed": list(allowed_consent)},
        )
        changes_table = con.sql(
            """
            with
            eligible as (select * from classified where status = 'eligible'),
            deleted as (select distinct customer_id::varchar as customer_id from deletion_rows),
            upserts as (
                select
                    eligible.sync_key,
                    eligible.customer_id,
                    if(state_rows.sync_key is null, 'add', 'update') as op,
                    null::varchar as remove_reason,
                    eligible.payload_hash,
                    state_rows.destination_ids,
                    eligible.partition_value
                from eligible
                left join state_rows on eligible.sync_key = state_rows.sync_key
                where state_rows.sync_key is null
                    or state_rows.payload_hash is distinct from eligible.payload_hash
            ),
            removes as (
                select
                    state_rows.sync_key,
                    state_rows.customer_id,
                    'remove' as op,
                    case
                        when deleted.customer_id is not null then 'deleted'
                        when classified.status = 'no_consent' then 'consent_revoked'
                        else 'left_audience'
                    end as remove_reason,
                    null::varchar as payload_hash,
                    state_rows.destination_ids,
                    state_rows.partition_value
                from state_rows
                left join eligible on state_rows.sync_key = eligible.sync_key
                left join classified on state_rows.sync_key = classified.sync_key
                left join deleted on state_rows.customer_id = deleted.customer_id
                where eligible.sync_key is null
            )
            select * from removes
            union all
            select * from upserts
            """
        ).to_arrow_table()
        (unchanged, skipped_consent, skipped_deleted) = con.execute(
            """
            select
                count(*) filter (where c.status = 'eligible' and s.payload_hash = c.payload_hash),
                count(*) filter (where c.status = 'no_consent'),
                count(*) filter (where c.status = 'deleted')
            from classified as c
            left join state_rows as s on c.sync_key = s.sync_key
            """
        ).fetchall()[0]
        deleted_ids = frozenset(
            row[0]
            for row in con.execute("select distinct customer_id::varchar from deletion_rows").fetchall()
        )
        upserts = changes_table.filter(pc.not_equal(changes_table["op"], "remove"))
        con.register("upsert_keys", upserts.select(["sync_key"]))
        payload_rows = con.sql(
            "select audience_rows.* from audience_rows semi join upsert_keys "
            "on audience_rows.sync_key::varchar = upsert_keys.sync_key"
        ).to_arrow_table()
    finally:
        con.close()

    payloads = {str(row["sync_key"]): row for row in payload_rows.to_pylist()}
    changes = [_to_change(row, payloads) for row in changes_table.to_pylist()]
    changes.sort(key=lambda c: (KIND_ORDER[c.kind], c.partition or "", c.record.sync_key))
    return Diff(
        changes=changes,
        unchanged=unchanged,
        skipped_consent=skipped_consent,
        skipped_deleted=skipped_deleted,
        deleted_customer_ids=deleted_ids,
    )


def _to_change(row: dict, payloads: dict[str, dict]) -> Change:
    previous = json.loads(row["destination_ids"]) if row["destination_ids"] else None
    record = Record(
        sync_key=row["sync_key"],
        customer_id=row["customer_id"],
        op=row["op"],
        payload=payloads.get(row["sync_key"], {}) if row["op"] != "remove" else {},
        payload_hash=row["payload_hash"],
        previous_ids=previous,
        remove_reason=row["remove_reason"],
    )
    kind: BatchKind = "remove" if row["op"] == "remove" else "upsert"
    return Change(record=record, kind=kind, partition=row["partition_value"])
