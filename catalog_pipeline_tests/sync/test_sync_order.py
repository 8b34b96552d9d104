"""The CLI sync starts the providers that took longest last time first.

The previous runs are recorded with the start and end times they would have had (a run
of the sync job whose start and finish events carry fixed timestamps), so the order
depends on the recorded durations only, never on how fast this machine sleeps.
"""

from __future__ import annotations

import dagster as dg

from catalog_pipeline.cli.sync import SYNC_JOB, slowest_first

T0 = 1_764_300_000.0  # 2025-11-28 03:20 UTC


@dg.op
def work() -> None:
    return None


@dg.job(name=SYNC_JOB)
def sync_job() -> None:
    work()


def record_run(
    instance: dg.DagsterInstance, slug: str, seconds: float, *, fail: bool = False
) -> None:
    """A finished sync run of ``slug`` that took exactly ``seconds``."""
    run = instance.create_run_for_job(sync_job, tags={"dagster/partition": slug})
    end = dg.DagsterEventType.RUN_FAILURE if fail else dg.DagsterEventType.RUN_SUCCESS
    for event_type, at in ((dg.DagsterEventType.RUN_START, T0), (end, T0 + seconds)):
        event = dg.DagsterEvent(event_type.value, job_name=SYNC_JOB)
        instance.report_dagster_event(event, run_id=run.run_id, timestamp=at)


def test_recorded_runs_have_the_durations_the_order_reads() -> None:
    with dg.instance_for_test() as instance:
        record_run(instance, "groq", 12.5)
        [record] = instance.get_run_records(dg.RunsFilter(tags={"dagster/partition": "groq"}))
        assert record.dagster_run.status == dg.DagsterRunStatus.SUCCESS
        assert (record.start_time, record.end_time) == (T0, T0 + 12.5)


def test_longest_previous_run_first_then_never_synced_paginated_first() -> None:
    with dg.instance_for_test() as instance:
        record_run(instance, "groq", 0.001)
        record_run(instance, "together", 0.003)
        record_run(instance, "openai", 0.002)
        record_run(instance, "deepseek", 100.0, fail=True)  # failed: as if never synced
        order = slowest_first(
            instance, ["groq", "openai", "together", "deepseek", "mistral", "fal"]
        )
    # never succeeded: fal pages through its list, mistral and deepseek answer at once
    # (sorted() is stable: among equals, the order asked for)
    assert order == ["fal", "deepseek", "mistral", "together", "openai", "groq"]


def test_only_the_latest_successful_run_counts() -> None:
    with dg.instance_for_test() as instance:
        record_run(instance, "groq", 50.0)
        record_run(instance, "groq", 1.0)  # groq got faster
        record_run(instance, "openai", 2.0)
        record_run(instance, "openai", 9.0, fail=True)
        assert slowest_first(instance, ["groq", "openai"]) == ["openai", "groq"]
