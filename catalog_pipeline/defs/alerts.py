"""Alerts to people: failed checks and failed runs, posted to a Slack-compatible webhook.

One message per failing check per provider, sent when the state changes (passing ->
failing, WARN -> ERROR) and never repeated while it stays the same; a "resolved" message
when it passes again. The state lives in the catalog database (``alert_state``), so the
deduplication survives daemon restarts and works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

import dagster as dg
import httpx
from pydantic import Field

from catalog_pipeline.store.alert_state import PASSING, Alert, Observation

WEBHOOK_ENV = "CATALOG_ALERT_WEBHOOK_URL"
UI_BASE_URL_ENV = "CATALOG_UI_BASE_URL"


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
        obs = alert.observation
        if alert.resolved:
            text = f":white_check_mark: Resolved: {obs.title} (was {alert.previous})."
        else:
            icon = ":rotating_light:" if obs.state in ("ERROR", "failed") else ":warning:"
            text = f"{icon} {obs.title}: {obs.state}. {obs.detail}"
        return {"text": f"{text}\nRun: {self.run_link(obs.run_id)}"}

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


def check_observations(instance: dg.DagsterInstance, run: dg.DagsterRun) -> list[Observation]:
    """One observation per asset check evaluated in the run (keyed by check and partition)."""
    partition = run.tags.get("dagster/partition")
    records = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    observations = []
    for record in records:
        evaluation = record.get_dagster_event().event_specific_data
        asset = evaluation.asset_key.to_user_string()
        where = f"[{partition}]" if partition else ""
        state = PASSING if evaluation.passed else evaluation.severity.value
        observations.append(
            Observation(
                key=f"check:{asset}:{evaluation.check_name}:{partition or '-'}",
                state=state,
                title=f"check {evaluation.check_name} on {asset}{where}",
                detail=_summarise(evaluation.metadata),
                run_id=run.run_id,
                observed_at=dt.datetime.fromtimestamp(record.timestamp, dt.UTC),
            )
        )
    return observations


def run_observation(
    run: dg.DagsterRun, failed: bool, reason: str, ended_at: dt.datetime
) -> Observation:
    partition = run.tags.get("dagster/partition")
    where = f" for {partition}" if partition else ""
    return Observation(
        key=f"run:{run.job_name}:{partition or '-'}",
        state="failed" if failed else PASSING,
        title=f"run of {run.job_name}{where}",
        detail=reason[:500],
        run_id=run.run_id,
        observed_at=ended_at,
    )


def _summarise(metadata: dict) -> str:
    keys = (
        "drop_fraction",
        "disappeared_count",
        "appeared_count",
        "rejected",
        "out_of_band_count",
        "moved_count",
        "missing_count",
        "unresolved_count",
        "outlier_count",
        "malformed_count",
    )
    parts = [f"{k}={metadata[k].value}" for k in keys if k in metadata]
    return ", ".join(parts) or "see the run for details"
