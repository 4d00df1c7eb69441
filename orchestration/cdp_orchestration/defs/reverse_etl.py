"""Reverse-ETL sync assets: one per destination of the activation exposures
(models/marts/activation/_activation__exposures.yml), downstream of the audience model it sends.

Each asset runs `activation.run_sync` (diff against what the destination last acknowledged, consent and
deletions enforced again at the boundary, batches, retries) and records `SyncResult.to_metadata()`; a sync
that does not finish fails the asset. Each sync has its own pool (`sync_<name>`): with the instance's default
pool limit of 1 (orchestration/cdp_orchestration/dagster.yaml) two runs never send the same sync at once.
The PostgreSQL sync exists only when CDP_POSTGRES_DSN is set.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    Config,
    Failure,
    MaterializeResult,
    asset,
)
from pydantic import Field

from cdp_orchestration.activation import Destination, SyncConfig, run_sync
from cdp_orchestration.activation.destinations import (
    FileDestination,
    KlaviyoListDestination,
    MetaCustomAudienceDestination,
    PostgresDestination,
    WebhookDestination,
)
from cdp_orchestration.activation.model import ConsentChannel
from cdp_orchestration.activation.source import SqlQuery, read_table
from cdp_orchestration.defs.quality import model_key
from cdp_orchestration.defs.resources import Destinations, SyncStateStore, Warehouse

GROUP = "destinations"

DestinationFactory = Callable[[Destinations, Warehouse], Destination]


@dataclass(frozen=True)
class SyncSpec:
    name: str
    exposure: str
    audience: str
    consent_channel: ConsentChannel | None
    kind: str
    description: str
    destination: DestinationFactory

    @property
    def key(self) -> AssetKey:
        return AssetKey(["destinations", self.name])


class SyncRunConfig(Config):
    max_removal_ratio: float | None = Field(
        default=0.5,
        description="Refuse to remove more than this share of the synced rows in one run (deletions aside): "
        "an emptied mart is a broken build, not a mass unsubscribe. None: no limit.",
    )


def _partition_ids(
    configured: dict[str, str], warehouse: Warehouse, audience: str, column: str
) -> dict[str, str]:
    """The configured {key: destination id}; without any, each key names itself (as the local fakes take)."""
    if configured:
        return configured
    table = warehouse.relation(audience).name  # bare: each engine applies its own case rule
    query = SqlQuery(f"select distinct {column} from {table} where {column} is not null")
    values = read_table(warehouse.source(), query).column(column).to_pylist()
    return {str(v): str(v) for v in values}


def _klaviyo(destinations: Destinations, warehouse: Warehouse) -> Destination:
    lists = _partition_ids(destinations.klaviyo_list_ids, warehouse, "audience_email", "list_key")
    if destinations.klaviyo_rate_limited:
        return KlaviyoListDestination(lists, base_url=destinations.klaviyo_base_url)
    return KlaviyoListDestination(
        lists, base_url=destinations.klaviyo_base_url, profile_rate=None, list_rate=None, deletion_rate=None
    )


def _meta(destinations: Destinations, warehouse: Warehouse) -> Destination:
    audiences = _partition_ids(destinations.meta_audience_ids, warehouse, "audience_ads", "audience_key")
    return MetaCustomAudienceDestination(audiences, base_url=destinations.meta_base_url)


SYNCS = [
    SyncSpec(
        "esp_list_sync",
        "esp_list_sync",
        "audience_email",
        "email",
        "klaviyo",
        "ESP lists (Klaviyo API): one list per segment, consented emails only.",
        _klaviyo,
    ),
    SyncSpec(
        "ads_audience_sync",
        "ads_audience_sync",
        "audience_ads",
        "ads",
        "meta",
        "Ad-platform custom audiences (Meta API): SHA-256 hashed identifiers, ads consent only.",
        _meta,
    ),
    SyncSpec(
        "customer_webhook_sync",
        "customer_webhook_sync",
        "audience_customers",
        None,
        "webhook",
        "Changed customer profiles posted to internal services, HMAC-signed.",
        lambda d, _: WebhookDestination(d.webhook_url),
    ),
    SyncSpec(
        "customer_file_export_parquet",
        "customer_file_export",
        "audience_customers",
        None,
        "parquet",
        "Customer changes as Parquet files with a manifest, for partners that take files.",
        lambda d, _: FileDestination(d.export_dir, file_format="parquet"),
    ),
    SyncSpec(
        "customer_file_export_csv",
        "customer_file_export",
        "audience_customers",
        None,
        "csv",
        "Customer changes as CSV files with a manifest, for partners that take files.",
        lambda d, _: FileDestination(d.export_dir, file_format="csv"),
    ),
    SyncSpec(
        "postgres_customer_table_sync",
        "postgres_customer_table_sync",
        "audience_customers",
        None,
        "postgres",
        "The operational customer table in PostgreSQL, mirroring the customer profile.",
        lambda d, _: PostgresDestination(d.postgres_table, mode="mirror"),
    ),
]


def enabled_syncs() -> list[SyncSpec]:
    return [s for s in SYNCS if s.kind != "postgres" or os.environ.get("CDP_POSTGRES_DSN")]


def sync_asset(spec: SyncSpec) -> AssetsDefinition:
    deps = [model_key(spec.audience), model_key("customer_deletions")]
    if spec.consent_channel:
        deps.append(model_key("customer_consent"))

    @asset(
        key=spec.key,
        deps=deps,
        group_name=GROUP,
        kinds={spec.kind},
        pool=f"sync_{spec.name}",
        description=spec.description,
        metadata={"dbt_exposure": spec.exposure, "audience": spec.audience},
    )
    def _sync(
        context: AssetExecutionContext,
        config: SyncRunConfig,
        warehouse: Warehouse,
        sync_state: SyncStateStore,
        destinations: Destinations,
    ) -> MaterializeResult:
        sync_config = SyncConfig(
            spec.name,
            warehouse.relation(spec.audience),
            consent_channel=spec.consent_channel,
            consent=warehouse.relation("customer_consent"),
            deletions=warehouse.relation("customer_deletions"),
            max_removal_ratio=config.max_removal_ratio,
        )
        destination = spec.destination(destinations, warehouse)
        try:
            result = run_sync(sync_config, warehouse.source(), destination, sync_state.for_sync(spec.name))
        finally:
            destination.close()
        context.log.info(result.describe())
        if not result.succeeded:
            raise Failure(
                description=f"sync {spec.name} failed: {result.error}", metadata=result.to_metadata()
            )
        return MaterializeResult(metadata=result.to_metadata())

    return _sync


sync_assets = [sync_asset(spec) for spec in enabled_syncs()]
