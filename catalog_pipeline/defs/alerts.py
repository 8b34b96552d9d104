"""Alerts to people: failed checks and failed runs, posted to a Slack-compatible webhook.

One message per failing check per provider, sent when the state changes (passing ->
failing, WARN -> ERROR) and never repeated while it stays the same; a "Resolved" message
when it passes again. The state lives in the catalog database (``alert_state``), so the
deduplication survives daemon restarts and works the same on SQLite and PostgreSQL.

State is keyed by what failed, never by the job that ran it: a check by asset, check name
and partition; a failed run by the asset (and partition) whose step failed. A schedule's
``sync_provider`` run and a UI backfill's ``__ASSET_JOB`` run of the same provider are the
same thing to an operator, so a failure in one is resolved by a success in the other.

Every message says in words what failed: the check's own one-sentence summary (which
provider or model, the numbers against the threshold, the first offenders), or the
error of the failed step, then the run link.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

import dagster as dg
import httpx
from pydantic import Field

from catalog_pipeline.defs.run_errors import step_error_text
from catalog_pipeline.store.alert_state import PASSING, Alert, Observation

WEBHOOK_ENV = "CATALOG_ALERT_WEBHOOK_URL"
UI_BASE_URL_ENV = "CATALOG_UI_BASE_URL"
PARTITION_TAG = "dagster/partition"
FAILED = "failed"
NO_PARTITION = "-"
DETAIL_LIMIT = 600


class AlertNotifier(dg.ConfigurableResource):
    """Posts alerts to a Slack-compatible incoming webhook (``{"text": ...}``)."""

    webhook_url: str | None = Field(
        default=None, description=f"Incoming webhook URL; unset means ${WEBHOOK_ENV}."
    )
    ui_base_url: str = Field(
        default="http://127.0.0.1:3000",
        description=f"Dagster UI base URL for run links (or ${UI_BASE_URL_ENV}).",
    )
    timeout_seconds: float = 10.0

    def _url(self) -> str | None:
        return self.webhook_url or os.environ.get(WEBHOOK_ENV) or None

    def run_link(self, run_id: str) -> str:
        base = os.environ.get(UI_BASE_URL_ENV) or self.ui_base_url
        return f"{base.rstrip('/')}/runs/{run_id}"

    def message(self, alert: Alert) -> dict[str, str]:
        return {"text": alert_text(alert, self.run_link(alert.observation.run_id))}

    def send(self, alerts: Iterable[Alert], log: dg.DagsterLogManager | None = None) -> int:
        url = self._url()
        sent = 0
        alerts = list(alerts)
        if url is None:
            if alerts and log:
                log.warning(f"{len(alerts)} alert(s) not sent: set {WEBHOOK_ENV}")
            return 0
        with httpx.Client(timeout=self.timeout_seconds) as client:
            for alert in alerts:
                response = client.post(url, json=self.message(alert))
                response.raise_for_status()
                sent += 1
        return sent


def alert_text(alert: Alert, run_link: str) -> str:
    """The message: what changed, in one line a person acts on, then the run link.

    ``:rotating_light: ERROR: count_not_dropped on provider_models[groq]: <summary>``
    ``:warning: WARN: unpriced_models on catalog: <summary>``
    ``:rotating_light: provider_models[groq] failed: <the step's error>``
    ``:white_check_mark: Resolved: <title> passes again (was ERROR): <summary>``
    """
    obs = alert.observation
    detail = f": {obs.detail}" if obs.detail else ""
    if alert.resolved:
        again = "passes again" if obs.key.startswith("check:") else "succeeded again"
        head = f":white_check_mark: Resolved: {obs.title} {again} (was {alert.previous}){detail}"
    elif obs.state == FAILED:
        head = f":rotating_light: {obs.title} failed{detail}"
    else:
        icon = ":rotating_light:" if obs.state == "ERROR" else ":warning:"
        head = f"{icon} {obs.state}: {obs.title}{detail}"
    return f"{head}\nRun: {run_link}"


def where(asset: str, partition: str | None) -> str:
    return f"{asset}[{partition}]" if partition else asset


def check_observations(instance: dg.DagsterInstance, run: dg.DagsterRun) -> list[Observation]:
    """One observation per asset check evaluated in the run, keyed by asset, check and
    partition (the evaluation's own partition: per-provider checks are partitioned)."""
    records = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    observations = []
    for record in records:
        evaluation = record.get_dagster_event().event_specific_data
        asset = evaluation.asset_key.to_user_string()
        partition = evaluation.partition or run.tags.get(PARTITION_TAG)
        observations.append(
            Observation(
                key=f"check:{asset}:{evaluation.check_name}:{partition or NO_PARTITION}",
                state=PASSING if evaluation.passed else evaluation.severity.value,
                title=f"{evaluation.check_name} on {where(asset, partition)}",
                detail=_summary(evaluation.metadata),
                run_id=run.run_id,
                observed_at=dt.datetime.fromtimestamp(record.timestamp, dt.UTC),
            )
        )
    return observations


def run_observations(
    instance: dg.DagsterInstance, run: dg.DagsterRun, ended_at: dt.datetime
) -> list[Observation]:
    """What a finished run says about the assets it was to write, keyed by asset and
    partition (``job:<name>`` for runs of plain ops, such as the admin jobs).

    A successful run passes every asset it materialized. A failed run fails the assets of
    its failed steps, with each step's error; a run that failed before any step did (it
    could not start, its worker died) fails every asset it planned.
    """
    partition = run.tags.get(PARTITION_TAG)
    succeeded = run.status == dg.DagsterRunStatus.SUCCESS
    if succeeded:
        event_type = dg.DagsterEventType.ASSET_MATERIALIZATION
        reasons = dict.fromkeys(_assets_of_events(instance, run, event_type), "")
    else:
        reasons = _failed_assets(instance, run)
    targets = {
        f"asset:{asset}:{partition or NO_PARTITION}": (where(asset, partition), reason)
        for asset, reason in sorted(reasons.items())
    }
    if not targets:
        reason = "" if succeeded else _run_error(instance, run)
        title = f"run of {run.job_name}" + (f" for {partition}" if partition else "")
        targets = {f"job:{run.job_name}:{partition or NO_PARTITION}": (title, reason)}
    return [
        Observation(
            key=key,
            state=PASSING if succeeded else FAILED,
            title=title,
            detail=reason[:DETAIL_LIMIT],
            run_id=run.run_id,
            observed_at=ended_at,
        )
        for key, (title, reason) in targets.items()
    ]


def _assets_of_events(
    instance: dg.DagsterInstance, run: dg.DagsterRun, event_type: dg.DagsterEventType
) -> list[str]:
    records = instance.all_logs(run.run_id, of_type=event_type)
    return sorted({record.get_dagster_event().asset_key.to_user_string() for record in records})


def _failed_assets(instance: dg.DagsterInstance, run: dg.DagsterRun) -> dict[str, str]:
    """asset -> the error of the step that was to write it."""
    assets_of_step = _assets_by_step(instance, run)
    failed: dict[str, str] = {}
    for record in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE):
        event = record.get_dagster_event()
        reason = step_error_text(event.step_failure_data.error)
        for asset in assets_of_step.get(event.step_key or "", []):
            failed[asset] = reason
    if failed:
        return failed
    planned = dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED
    reason = _run_error(instance, run)
    return dict.fromkeys(_assets_of_events(instance, run, planned), reason)


def _assets_by_step(instance: dg.DagsterInstance, run: dg.DagsterRun) -> dict[str, list[str]]:
    if run.execution_plan_snapshot_id is None:
        return {}
    snapshot = instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
    return {
        step.key: sorted(
            {
                output.properties.asset_key.to_user_string()
                for output in step.outputs
                if output.properties is not None
                and output.properties.asset_key is not None
                and output.properties.asset_check_key is None
            }
        )
        for step in snapshot.steps
    }


def _run_error(instance: dg.DagsterInstance, run: dg.DagsterRun) -> str:
    """Why a run failed when no step says so: the run failure event's message."""
    for record in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE):
        event = record.get_dagster_event()
        data = event.event_specific_data
        error = getattr(data, "error", None)
        if error is not None:
            return step_error_text(error)
        if event.message:
            return event.message.strip().splitlines()[0]
    return "the run failed before any step ran"


def _summary(metadata: dict) -> str:
    """The check's own one-sentence summary (``CheckOutcome.summary``)."""
    summary = metadata.get("summary")
    text = str(summary.value) if summary is not None else "no summary recorded; see the run"
    return text[:DETAIL_LIMIT]
