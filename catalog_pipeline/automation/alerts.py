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
from dataclasses import dataclass

import dagster as dg
import httpx
from pydantic import Field
from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from catalog_pipeline.store import schema
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.engine import insert_for
from catalog_pipeline.store.types import as_utc

WEBHOOK_ENV = "CATALOG_ALERT_WEBHOOK_URL"
UI_BASE_URL_ENV = "CATALOG_UI_BASE_URL"
PASSING = "passing"


@dataclass(frozen=True)
class Observation:
    """The current state of one alertable thing, e.g. a check on one provider partition."""

    key: str
    state: str
    title: str
    detail: str
    run_id: str
    observed_at: dt.datetime


@dataclass(frozen=True)
class Alert:
    observation: Observation
    previous: str | None
    resolved: bool


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


def transitions(store: CatalogStore, observations: Iterable[Observation]) -> list[Alert]:
    """Record the observed states; return the alerts that a state change calls for.

    Each change is a compare-and-set: an insert that does nothing if the key appeared
    meanwhile, or an update conditioned on the state just read. When two evaluations see
    the same change at once (threaded sensors, two daemons), only the one whose write
    lands gets the alert; the other re-reads and finds nothing left to announce. Keys are
    written in sorted order, so two such transactions cannot deadlock.

    An observation older than the key's last change is stale and ignored: the success
    sensor may reach an earlier run after the failure sensor has recorded a later one, and
    must not announce a recovery that did not happen.
    """
    alerts: list[Alert] = []
    with store.engine().begin() as conn:
        for obs in sorted(observations, key=lambda o: o.key):
            changed, previous = _set_state(conn, obs)
            if changed:
                alerts.append(
                    Alert(observation=obs, previous=previous, resolved=obs.state == PASSING)
                )
    return alerts


def _set_state(conn: Connection, obs: Observation) -> tuple[bool, str | None]:
    """Move ``obs.key`` to ``obs.state``: whether this call changed it, and from what."""
    table = schema.alert_state
    values = {
        "state": obs.state,
        "detail": obs.detail,
        "changed_at": obs.observed_at,
        "run_id": obs.run_id,
    }
    while True:
        row = conn.execute(
            select(table.c.state, table.c.changed_at).where(table.c.key == obs.key)
        ).first()
        previous = row.state if row else None
        if previous == obs.state or (previous is None and obs.state == PASSING):
            return False, previous
        if row and obs.observed_at < as_utc(row.changed_at):
            return False, previous
        if previous is None:
            statement = insert_for(conn)(table).values(key=obs.key, **values)
            statement = statement.on_conflict_do_nothing(index_elements=["key"])
        else:
            statement = (
                update(table)
                .where(table.c.key == obs.key, table.c.state == previous)
                .values(**values)
            )
        if conn.execute(statement.returning(table.c.key)).first() is not None:
            return True, previous


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
