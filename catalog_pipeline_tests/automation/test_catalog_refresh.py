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

SLOW_SECONDS = 6.0


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        yield instance


def requested(result: dg.EvaluateAutomationConditionsResult) -> int:
    return result.get_num_requested(dg.AssetKey("catalog"))


def test_refresh_waits_for_running_syncs_then_for_at_most_the_grace(
    instance: dg.DagsterInstance, sqlite_url: str, replay_server: ReplayServer
) -> None:
    defs = dg.Definitions(
        assets=[*PROVIDER_ASSETS, catalog], resources=resources(sqlite_url, replay_server)
    )
    first = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert requested(first) == 0, "nothing was written yet"

    assert sync_partition(instance, sqlite_url, replay_server, "groq").success
    replay_server.latency["together"] = SLOW_SECONDS
    slow = threading.Thread(
        target=sync_partition, args=(instance, sqlite_url, replay_server, "together")
    )
    slow.start()
    try:
        time.sleep(SLOW_SECONDS / 3)
        waiting = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, cursor=first.cursor
        )
        assert requested(waiting) == 0, "groq wrote, but together is still running"
        now = dt.datetime.now(dt.UTC)
        soon = dg.evaluate_automation_conditions(
            defs=defs, instance=instance, cursor=waiting.cursor, evaluation_time=now
        )
        assert requested(soon) == 0
        late = dg.evaluate_automation_conditions(
            defs=defs,
            instance=instance,
            cursor=soon.cursor,
            evaluation_time=now + dt.timedelta(minutes=31),
        )
        assert requested(late) == 1, "a stuck provider holds the catalog back 30 minutes at most"
    finally:
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
