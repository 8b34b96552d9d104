"""The CLI sync starts the providers that took longest last time first."""

from __future__ import annotations

import time

import dagster as dg

from catalog_pipeline.cli.sync import SYNC_JOB, slowest_first


def _record_run(
    instance: dg.DagsterInstance, slug: str, seconds: float, fail: bool = False
) -> None:
    @dg.op
    def work() -> None:
        time.sleep(seconds)
        if fail:
            raise RuntimeError("provider failed")

    @dg.job(name=SYNC_JOB)
    def job() -> None:
        work()

    job.execute_in_process(
        instance=instance, tags={"dagster/partition": slug}, raise_on_error=False
    )


def test_longest_previous_run_first_then_never_synced_paginated_first() -> None:
    with dg.instance_for_test() as instance:
        _record_run(instance, "groq", 0.0)
        _record_run(instance, "together", 0.6)
        _record_run(instance, "openai", 0.3)
        _record_run(instance, "deepseek", 1.0, fail=True)
        order = slowest_first(
            instance, ["groq", "openai", "together", "deepseek", "mistral", "fal"]
        )
    # never succeeded: fal pages through its list, mistral and deepseek answer at once
    assert order[0] == "fal"
    assert set(order[1:3]) == {"mistral", "deepseek"}
    assert order[3:] == ["together", "openai", "groq"]
