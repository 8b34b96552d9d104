"""Alerts reach a real webhook once per state change; the daily schedule asks for every provider."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import dagster as dg
import pytest
from sqlalchemy.engine import make_url

from catalog_pipeline.defs.alerts import AlertNotifier
from catalog_pipeline.defs.resources import CatalogStoreResource
from catalog_pipeline.defs.schedules import daily_provider_sync
from catalog_pipeline.defs.sensors import alert_on_check_results, alert_on_run_failure
from catalog_pipeline.providers.registry import provider_slugs
from catalog_pipeline.store.alert_state import PASSING, Alert, Observation, transitions
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline_tests.automation.receiver import WebhookReceiver
from catalog_pipeline_tests.pipeline.harness import sync_partition


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgres"])
def instance(request: pytest.FixtureRequest) -> Iterator[dg.DagsterInstance]:
    """A Dagster instance on SQLite, or on the real PostgreSQL (dagster-postgres storage)."""
    if request.param == "sqlite":
        with dg.instance_for_test() as instance:
            yield instance
        return
    postgres = request.getfixturevalue("postgres_url")
    url = make_url(postgres)
    overrides = {
        "storage": {
            "postgres": {
                "postgres_db": {
                    "hostname": url.host,
                    "port": url.port or 5432,
                    "username": url.username,
                    "password": url.password or "",
                    "db_name": url.database,
                }
            }
        }
    }
    with dg.instance_for_test(overrides=overrides) as instance:
        yield instance


def deliver(
    instance: dg.DagsterInstance,
    result: dg.ExecuteInProcessResult,
    hook: str,
    db: str,
    ui_base_url: str = "http://127.0.0.1:3000",
) -> None:
    """Evaluate the alert sensors on a finished run exactly as the daemon does."""
    run = instance.get_run_by_id(result.run_id)
    resources = {
        "alert_notifier": AlertNotifier(webhook_url=hook, ui_base_url=ui_base_url),
        "catalog_store": CatalogStoreResource(database_url=db),
    }
    event = next(
        record.get_dagster_event()
        for record in instance.all_logs(result.run_id)
        if record.is_dagster_event
        and record.get_dagster_event().event_type
        in (dg.DagsterEventType.RUN_SUCCESS, dg.DagsterEventType.RUN_FAILURE)
    )
    with dg.build_resources(resources) as built:
        context = dg.build_run_status_sensor_context(
            sensor_name="alert",
            dagster_instance=instance,
            dagster_run=run,
            dagster_event=event,
            resources=resources,
        )
        if result.success:
            alert_on_check_results(context)
        else:
            alert_on_run_failure(context.for_run_failure())
        del built


def test_count_drop_alerts_once_and_recovery_resolves(
    instance, database_url, replay_server, receiver: WebhookReceiver
) -> None:
    recording = replay_server.root / "together" / "v1" / "models.json"
    full = recording.read_bytes()
    good = sync_partition(instance, database_url, replay_server, "together")
    deliver(instance, good, receiver.url, database_url)
    assert receiver.messages == []

    recording.write_text(json.dumps(json.loads(full)[:2]))
    dropped_runs = []
    for _ in range(2):
        dropped = sync_partition(instance, database_url, replay_server, "together")
        assert not dropped.success
        deliver(instance, dropped, receiver.url, database_url)
        dropped_runs.append(dropped.run_id)
    assert len(receiver.messages) == 1, receiver.messages
    text = receiver.messages[0]["text"]
    assert text.startswith(
        ":rotating_light: ERROR: count_not_dropped on provider_models[together]: together: "
        "2 models, 7 at the last good sync (71.4% dropped;"
    )
    assert text.endswith(f"/runs/{dropped_runs[0]}")

    recording.write_bytes(full)
    recovered = sync_partition(instance, database_url, replay_server, "together")
    assert recovered.success
    deliver(instance, recovered, receiver.url, database_url)
    assert len(receiver.messages) == 2
    assert receiver.messages[1]["text"].startswith(
        ":white_check_mark: Resolved: count_not_dropped on provider_models[together] passes "
        "again (was ERROR): together: 7 models, 7 at the last good sync"
    )


def test_fetch_failure_alerts_once_per_provider(
    instance, database_url, replay_server, receiver: WebhookReceiver
) -> None:
    from catalog_pipeline.replay.server import CannedResponse

    for _ in range(2):
        replay_server.faults["groq"] = [CannedResponse(500, b"down")] * 3
        failed = sync_partition(instance, database_url, replay_server, "groq")
        assert not failed.success
        deliver(instance, failed, receiver.url, database_url)
    assert len(receiver.messages) == 1
    assert receiver.messages[0]["text"].startswith(
        ":rotating_light: provider_models[groq] failed: provider 'groq': gave up after 3 "
        "attempts; last: HTTP 500: down (GET "
    )


def observed(state: str, minute: int) -> Observation:
    return Observation(
        key="check:provider_models:count_not_dropped:groq",
        state=state,
        title="count_not_dropped on provider_models[groq]",
        detail=state,
        run_id=f"run-{minute}",
        observed_at=dt.datetime(2026, 11, 23, 5, minute, tzinfo=dt.UTC),
    )


def test_concurrent_evaluations_announce_each_change_once(database_url: str) -> None:
    """Threaded sensors or two daemons may evaluate the same change at the same moment."""
    store = CatalogStore(database_url=database_url)
    store.engine()
    evaluators = 8

    def observe_everywhere(observation: Observation) -> list[Alert]:
        start = threading.Barrier(evaluators)

        def evaluate(_: int) -> list[Alert]:
            start.wait()
            return transitions(store, [observation])

        with ThreadPoolExecutor(evaluators) as pool:
            return [alert for alerts in pool.map(evaluate, range(evaluators)) for alert in alerts]

    for minute, (state, previous) in enumerate(
        (("ERROR", None), (PASSING, "ERROR"), ("WARN", PASSING))
    ):
        announced = observe_everywhere(observed(state, minute))
        assert [(a.observation.state, a.previous) for a in announced] == [(state, previous)]
    store.engine().dispose()


def test_a_late_look_at_an_earlier_run_changes_nothing(database_url: str) -> None:
    """The success sensor may reach the 05:10 run after the failure sensor saw 05:20's."""
    store = CatalogStore(database_url=database_url)
    assert [a.previous for a in transitions(store, [observed("ERROR", 20)])] == [None]
    assert transitions(store, [observed(PASSING, 10)]) == []
    assert [a.resolved for a in transitions(store, [observed(PASSING, 30)])] == [True]
    store.engine().dispose()


def test_daily_schedule_requests_one_run_per_provider() -> None:
    tick = dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC)
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(instance=instance, scheduled_execution_time=tick)
        requests = list(daily_provider_sync(context))
    assert [r.partition_key for r in requests] == provider_slugs()
    assert len({r.run_key for r in requests}) == len(requests)
    assert all(r.run_key.endswith("2026-11-23") for r in requests)
    assert daily_provider_sync.default_status == dg.DefaultScheduleStatus.RUNNING
