"""The catalog refresh condition, evaluated as the daemon's automation sensor would.

Real provider runs against the replay server write ``models`` partitions; a slow provider
is a run still in progress. The condition is evaluated with Dagster's own evaluator,
with the clock moved forward for the grace period.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator

import dagster as dg
import pytest

from catalog_pipeline.defs.catalog import catalog
from catalog_pipeline.defs.jobs import PROVIDER_ASSETS
from catalog_pipeline.replay.server import ReplayServer
from catalog_pipeline_tests.pipeline.harness import resources, sync_partition


class HeldProvider(dict):
    """The replay server's latency table, holding one provider's answer until released.

    The server reads a provider's latency after it has recorded the request: a recorded
    request means the run is in its fetch step, and it stays there until ``release()``.
    No sleep decides whether the run is still in progress when the condition is evaluated.
    """

    def __init__(self, provider: str) -> None:
        super().__init__()
        self.provider = provider
        self.released = threading.Event()

    def get(self, key: str, default: float = 0.0) -> float:
        if key == self.provider:
            self.released.wait(timeout=120)
        return default

    def release(self) -> None:
        self.released.set()


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        yield instance


def requested(result: dg.EvaluateAutomationConditionsResult) -> int:
    return result.get_num_requested(dg.AssetKey("catalog"))


def next_half_hour(moment: dt.datetime) -> dt.datetime:
    """The first ``*/30`` cron tick after ``moment``."""
    base = moment.replace(minute=0 if moment.minute < 30 else 30, second=0, microsecond=0)
    return base + dt.timedelta(minutes=30)


def test_refresh_waits_for_running_syncs_then_for_at_most_the_grace(
    instance: dg.DagsterInstance, sqlite_url: str, replay_server: ReplayServer
) -> None:
    defs = dg.Definitions(
        assets=[*PROVIDER_ASSETS, catalog], resources=resources(sqlite_url, replay_server)
    )
    first = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert requested(first) == 0, "nothing was written yet"

    assert sync_partition(instance, sqlite_url, replay_server, "groq").success
    written = dt.datetime.now(dt.UTC)
    held = HeldProvider("together")
    replay_server.latency = held
    slow = threading.Thread(
        target=sync_partition, args=(instance, sqlite_url, replay_server, "together")
    )
    slow.start()
    try:
        deadline = time.monotonic() + 120
        while not any(r.provider == "together" for r in replay_server.requests):
            assert time.monotonic() < deadline, "the together run never reached its fetch"
            time.sleep(0.05)
        waiting = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, cursor=first.cursor, evaluation_time=written
        )
        assert requested(waiting) == 0, "groq wrote, but together is still running"
        tick = next_half_hour(written)
        before_tick = dg.evaluate_automation_conditions(
            defs=defs,
            instance=instance,
            cursor=waiting.cursor,
            evaluation_time=tick - dt.timedelta(seconds=1),
        )
        assert requested(before_tick) == 0, "no half-hour tick since groq wrote"
        after_tick = dg.evaluate_automation_conditions(
            defs=defs,
            instance=instance,
            cursor=before_tick.cursor,
            evaluation_time=tick + dt.timedelta(seconds=1),
        )
        assert requested(after_tick) == 1, "a stuck provider holds the catalog back 30 min at most"
    finally:
        held.release()
        slow.join()

    settled = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=first.cursor)
    assert requested(settled) == 1, "every sync settled: refresh now"


def test_no_refresh_without_a_new_provider_write(
    instance: dg.DagsterInstance, sqlite_url: str, replay_server: ReplayServer
) -> None:
    defs = dg.Definitions(
        assets=[*PROVIDER_ASSETS, catalog], resources=resources(sqlite_url, replay_server)
    )
    start = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert sync_partition(instance, sqlite_url, replay_server, "groq").success
    before = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=start.cursor)
    assert requested(before) == 1
    refreshed = dg.materialize(
        [catalog], resources=resources(sqlite_url, replay_server), instance=instance
    )
    assert refreshed.success
    after = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=before.cursor)
    assert requested(after) == 0, "the catalog is newer than every provider write"
    assert sync_partition(instance, sqlite_url, replay_server, "anthropic").success
    again = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=after.cursor)
    assert requested(again) == 1
