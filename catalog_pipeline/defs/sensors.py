"""Sensors: alerts on failed checks and runs, and the catalog refresh after provider syncs."""

import datetime as dt

import dagster as dg

from catalog_pipeline.defs.alerts import AlertNotifier, check_observations, run_observations
from catalog_pipeline.defs.resources import CatalogStoreResource
from catalog_pipeline.store.alert_state import transitions
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.types import as_utc

REFRESH_GRACE = dt.timedelta(minutes=30)


def _ended_at(instance: dg.DagsterInstance, run_id: str) -> dt.datetime:
    record = instance.get_run_record_by_id(run_id)
    ended = record.end_time if record else None
    return dt.datetime.fromtimestamp(ended, dt.UTC) if ended else dt.datetime.now(dt.UTC)


def alert_for_run(
    instance: dg.DagsterInstance,
    run: dg.DagsterRun,
    notifier: AlertNotifier,
    store: CatalogStore,
    log: dg.DagsterLogManager | None = None,
) -> int:
    """Turn one finished run into alerts; return how many were sent.

    A run that failed on a blocking ERROR check is announced by that check alone.
    """
    observations = check_observations(instance, run)
    failed_check = any(o.state == "ERROR" for o in observations)
    if run.status == dg.DagsterRunStatus.SUCCESS or not failed_check:
        observations += run_observations(instance, run, _ended_at(instance, run.run_id))
    return notifier.send(transitions(store, observations), log)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    name="alert_on_check_results",
    description="Alerts on WARN/ERROR checks of successful runs, and on recovery.",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)
def alert_on_check_results(
    context: dg.RunStatusSensorContext,
    alert_notifier: AlertNotifier,
    catalog_store: CatalogStoreResource,
) -> None:
    alert_for_run(context.instance, context.dagster_run, alert_notifier, catalog_store, context.log)


@dg.run_failure_sensor(
    name="alert_on_run_failure",
    description="Alerts on failed provider syncs: a failed blocking check or a failed fetch.",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)
def alert_on_run_failure(
    context: dg.RunFailureSensorContext,
    alert_notifier: AlertNotifier,
    catalog_store: CatalogStoreResource,
) -> None:
    alert_for_run(context.instance, context.dagster_run, alert_notifier, catalog_store, context.log)


@dg.sensor(
    name="refresh_catalog_after_syncs",
    job_name="refresh_catalog",
    description=(
        "Refreshes the catalog asset once provider syncs settle: when some models partition "
        "is newer than the catalog and no sync is still running (or the oldest has run for "
        "30 minutes), so one stuck provider never holds the catalog back."
    ),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=60,
)
def refresh_catalog_after_syncs(context: dg.SensorEvaluationContext):
    instance = context.instance
    latest_models = _latest_timestamp(instance, "models")
    latest_catalog = _latest_timestamp(instance, "catalog")
    if latest_models is None or (latest_catalog is not None and latest_catalog >= latest_models):
        return dg.SkipReason("the catalog is newer than every provider write")
    in_flight = instance.get_run_records(
        dg.RunsFilter(
            statuses=[
                dg.DagsterRunStatus.QUEUED,
                dg.DagsterRunStatus.STARTING,
                dg.DagsterRunStatus.STARTED,
            ],
        )
    )
    if any(r.dagster_run.job_name == "refresh_catalog" for r in in_flight):
        return dg.SkipReason("a catalog refresh is already queued or running")
    syncs = [r for r in in_flight if "dagster/partition" in r.dagster_run.tags]
    now = dt.datetime.now(dt.UTC)
    if syncs and all(now - as_utc(r.create_timestamp) < REFRESH_GRACE for r in syncs):
        return dg.SkipReason(f"{len(syncs)} provider sync(s) still running")
    return dg.RunRequest(run_key=f"catalog-after-{latest_models:.0f}")


def _latest_timestamp(instance: dg.DagsterInstance, asset: str) -> float | None:
    records = instance.fetch_materializations(dg.AssetKey(asset), limit=1).records
    return records[0].timestamp if records else None
