"""The daily sync: one run per enabled provider, each its own partition."""

import dagster as dg

from catalog_pipeline.providers.references.registry import source_slugs
from catalog_pipeline.providers.registry import provider_slugs

DAILY_CRON = "0 5 * * *"


def _daily_runs(context: dg.ScheduleEvaluationContext, slugs: list[str]):
    """One run per partition, keyed by slug and day so a re-evaluated tick adds none."""
    tick = context.scheduled_execution_time.strftime("%Y-%m-%d")
    for slug in slugs:
        yield dg.RunRequest(
            run_key=f"{slug}-{tick}",
            partition_key=slug,
            tags={"catalog/trigger": "daily_schedule"},
        )


@dg.schedule(
    cron_schedule=DAILY_CRON,
    job_name="sync_provider",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=(
        "Every day at 05:00 UTC: one sync_provider run per enabled provider. The catalog "
        "asset follows through its automation condition (refresh_catalog_automation)."
    ),
)
def daily_provider_sync(context: dg.ScheduleEvaluationContext):
    yield from _daily_runs(context, provider_slugs())


REFERENCE_CRON = "30 4 * * *"


@dg.schedule(
    cron_schedule=REFERENCE_CRON,
    job_name="sync_reference",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=(
        "Every day at 04:30 UTC, half an hour before the providers: one sync_reference run "
        "per reference price source. Each reprices the stored offers at once, and the "
        "providers' runs at 05:00 price with the new observations."
    ),
)
def daily_reference_sync(context: dg.ScheduleEvaluationContext):
    yield from _daily_runs(context, source_slugs())
