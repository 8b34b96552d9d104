"""Alert state in the catalog database: which alertable things are failing, and since when.

A state is announced once when it changes and not again while it persists; the state
lives here (``alert_state``) so deduplication survives daemon restarts and works the same
on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from catalog_pipeline.store import schema
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.engine import insert_for
from catalog_pipeline.store.types import as_utc

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
