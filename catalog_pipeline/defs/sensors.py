"""Sensors: alerts on failed checks and runs."""

import datetime as dt

import dagster as dg

from catalog_pipeline.defs.alerts import AlertNotifier, check_observations, run_observations
from catalog_pipeline.defs.resources import CatalogStoreResource
from catalog_pipeline.store.alert_state import transitions
from catalog_pipeline.store.catalog_store import CatalogStore


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
