"""Operator overrides reach the models table without waiting for the daily sync.

An override is applied by its provider's sync (``pipeline.overrides``); this sensor asks
for that sync as soon as an override is set, removed or expires, so the catalog, the read
API and the exports carry the change within a minute when the daemon runs. It records
expiries as they pass (one audit row each), then requests one ``sync_provider`` run per
provider with a change since its cursor (the id of the last audit row it acted on).
"""

import datetime as dt

import dagster as dg

from catalog_pipeline.defs.jobs import sync_provider_job
from catalog_pipeline.defs.resources import CatalogStoreResource
from catalog_pipeline.providers.registry import provider_slugs

TRIGGER = "override_change"


@dg.sensor(
    job=sync_provider_job,
    name="sync_on_override_change",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description=(
        "Syncs a provider as soon as one of its operator price overrides is set, removed or "
        "expires, so the change reaches the models table without waiting for the schedule."
    ),
)
def sync_on_override_change(
    context: dg.SensorEvaluationContext, catalog_store: CatalogStoreResource
):
    catalog_store.record_override_expiries(dt.datetime.now(dt.UTC))
    after = int(context.cursor or 0)
    changes = catalog_store.override_changes_since(after)
    if not changes:
        return dg.SkipReason(f"no override change after audit row {after}")
    last = max(change_id for change_id, _ in changes)
    partitions = set(provider_slugs())
    providers = sorted({provider for _, provider in changes if provider in partitions})
    context.update_cursor(str(last))
    return [
        dg.RunRequest(
            run_key=f"override-{last}-{provider}",
            partition_key=provider,
            tags={"catalog/trigger": TRIGGER},
        )
        for provider in providers
    ]
