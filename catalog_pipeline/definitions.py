"""The single Definitions object of the code location."""

from __future__ import annotations

import os

import dagster as dg

from catalog_pipeline.automation.alerts import WEBHOOK_ENV, AlertNotifier
from catalog_pipeline.automation.schedules import daily_provider_sync
from catalog_pipeline.automation.sensors import (
    alert_on_check_results,
    alert_on_run_failure,
    refresh_catalog_after_syncs,
)
from catalog_pipeline.catalog.assets import catalog, models
from catalog_pipeline.catalog.checks import CATALOG_CHECKS
from catalog_pipeline.exports.assets import EXPORT_ASSETS, export_catalog_job
from catalog_pipeline.ingest.assets import normalized_models, provider_models
from catalog_pipeline.ingest.check_settings import CheckSettings
from catalog_pipeline.ingest.partitions import provider_partitions
from catalog_pipeline.ops.jobs import ADMIN_JOBS
from catalog_pipeline.providers.client import BASE_URL_ENV, ProviderClient
from catalog_pipeline.settings import DATABASE_URL_ENV
from catalog_pipeline.store.catalog_store import CatalogStore

PROVIDER_ASSETS = [provider_models, normalized_models, models]

sync_provider_job = dg.define_asset_job(
    name="sync_provider",
    selection=dg.AssetSelection.assets(*PROVIDER_ASSETS),
    partitions_def=provider_partitions,
    description="Fetch, check, normalize and write one provider (one run per partition).",
    tags={"catalog/kind": "provider_sync"},
)

refresh_catalog_job = dg.define_asset_job(
    name="refresh_catalog",
    selection=dg.AssetSelection.assets(catalog) | dg.AssetSelection.checks_for_assets(catalog),
    description="Recompute the catalog-wide summary and checks after provider syncs.",
)


def _env_or_none(name: str) -> dg.EnvVar | None:
    """An EnvVar when the variable is set (masked in the UI), else None for the default."""
    return dg.EnvVar(name) if os.environ.get(name) else None


def build_resources() -> dict[str, dg.ConfigurableResource]:
    return {
        "provider_client": ProviderClient(base_url_override=_env_or_none(BASE_URL_ENV)),
        "catalog_store": CatalogStore(database_url=_env_or_none(DATABASE_URL_ENV)),
        "check_settings": CheckSettings(),
        "alert_notifier": AlertNotifier(webhook_url=_env_or_none(WEBHOOK_ENV)),
    }


defs = dg.Definitions(
    assets=[*PROVIDER_ASSETS, catalog, *EXPORT_ASSETS],
    asset_checks=CATALOG_CHECKS,
    jobs=[sync_provider_job, refresh_catalog_job, *ADMIN_JOBS, export_catalog_job],
    schedules=[daily_provider_sync],
    sensors=[alert_on_check_results, alert_on_run_failure, refresh_catalog_after_syncs],
    resources=build_resources(),
    executor=dg.in_process_executor,
)
