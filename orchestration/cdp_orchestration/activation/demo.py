"""`python -m cdp_orchestration.activation.demo --warehouse data/dev/cdp.duckdb`: sync the audience marts to
local fakes of Klaviyo, Meta and a webhook, and print what each run did.

The fakes run in-process on a free port, or pass `--base-url` to use ones started with
`python -m cdp_orchestration.activation.fake_servers`. Each list/audience key maps to a fake id of the same
name. Run it twice: the second run sends nothing unless the marts changed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator

import duckdb

from cdp_orchestration.activation.destination import Destination
from cdp_orchestration.activation.destinations import (
    KlaviyoListDestination,
    MetaCustomAudienceDestination,
    WebhookDestination,
)
from cdp_orchestration.activation.engine import SyncConfig, run_sync
from cdp_orchestration.activation.fake_servers import FakeServers
from cdp_orchestration.activation.source import DuckDBSource, Relation, SqlQuery, read_table
from cdp_orchestration.activation.state import DuckDBStateStore

# Placeholders the local fakes accept; a real deployment sets these variables to real credentials.
DEMO_SECRETS = {
    "CDP_KLAVIYO_API_KEY": "pk_demo",
    "CDP_META_ACCESS_TOKEN": "meta_demo_token",
    "CDP_WEBHOOK_SECRET": "whsec_demo",
}


@contextlib.contextmanager
def fake_base_url(base_url: str | None) -> Iterator[str]:
    if base_url:
        yield base_url.rstrip("/")
        return
    with FakeServers(
        klaviyo_api_key=os.environ["CDP_KLAVIYO_API_KEY"],
        meta_access_token=os.environ["CDP_META_ACCESS_TOKEN"],
        webhook_secret=os.environ["CDP_WEBHOOK_SECRET"],
    ) as servers:
        yield servers.url


def distinct(source: DuckDBSource, relation: Relation, column: str) -> list[str]:
    sql = f'select distinct "{column}"::varchar as k from ({relation.to_sql()}) where "{column}" is not null'
    return [str(v) for v in read_table(source, SqlQuery(sql)).column("k").to_pylist()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--warehouse", required=True, help="DuckDB file built by dbt")
    parser.add_argument("--state", help="state DuckDB file (default: sync_state.duckdb beside the warehouse)")
    parser.add_argument("--marts-schema", default="main_marts")
    parser.add_argument("--base-url", help="URL of running fake servers (default: start them in-process)")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    for name, value in DEMO_SECRETS.items():
        os.environ.setdefault(name, value)

    source = DuckDBSource(args.warehouse)
    state = DuckDBStateStore(args.state or os.path.join(os.path.dirname(args.warehouse), "sync_state.duckdb"))
    schema = args.marts_schema
    consent, deletions = Relation(f"{schema}.customer_consent"), Relation(f"{schema}.customer_deletions")
    with fake_base_url(args.base_url) as base_url:
        plans: list[tuple[str, Relation, str | None, str | None]] = [
            ("demo_klaviyo_lists", Relation(f"{schema}.audience_email"), "email", "list_key"),
            ("demo_meta_audiences", Relation(f"{schema}.audience_ads"), "ads", "audience_key"),
            ("demo_webhook_customers", Relation(f"{schema}.audience_customers"), None, None),
        ]
        for sync_id, audience, channel, partition in plans:
            try:
                keys = distinct(source, audience, partition) if partition else []
            except duckdb.CatalogException:
                print(f"{sync_id}: {audience.name} is not in the warehouse yet, skipped")
                continue
            destination: Destination
            if partition == "list_key":
                destination = KlaviyoListDestination(
                    {k: k for k in keys},
                    base_url=base_url,
                    profile_rate=None,
                    list_rate=None,
                    deletion_rate=None,
                )
            elif partition == "audience_key":
                destination = MetaCustomAudienceDestination({k: k for k in keys}, base_url=base_url)
            else:
                destination = WebhookDestination(f"{base_url}/webhook")
            config = SyncConfig(
                sync_id, audience, consent_channel=channel, consent=consent, deletions=deletions
            )
            try:
                print(run_sync(config, source, destination, state, dry_run=args.dry_run).describe())
            finally:
                destination.close()


if __name__ == "__main__":
    main()
