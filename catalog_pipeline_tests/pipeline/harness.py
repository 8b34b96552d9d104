"""Run the real per-provider assets against the replay server, as a user's run would."""

from __future__ import annotations

import dagster as dg

from catalog_pipeline.defs.jobs import PROVIDER_ASSETS
from catalog_pipeline.defs.resources import (
    CatalogStoreResource,
    CheckSettings,
    ProviderClientResource,
)
from catalog_pipeline.replay.server import ReplayServer

CORE_FIVE = ("openrouter", "openai", "anthropic", "together", "groq")


def resources(database_url: str, server: ReplayServer, **client: object) -> dict[str, object]:
    """The resources of a replayed run; the ``replay_server`` fixture (or
    :func:`~catalog_pipeline.providers.client.provider_base_url`) points providers at ``server``."""
    settings = {"max_attempts": 3, "backoff_seconds": 0.01, "require_api_keys": False, **client}
    return {
        "provider_client": ProviderClientResource(**settings),
        "catalog_store": CatalogStoreResource(database_url=database_url),
        "check_settings": CheckSettings(),
    }


def sync_partition(
    instance: dg.DagsterInstance,
    database_url: str,
    server: ReplayServer,
    slug: str,
    **client: object,
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        PROVIDER_ASSETS,
        partition_key=slug,
        resources=resources(database_url, server, **client),
        instance=instance,
        raise_on_error=False,
    )


def failure_text(result: dg.ExecuteInProcessResult) -> str:
    messages = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error is not None:
            messages.append(event.step_failure_data.error.message)
    return "\n".join(messages)


def check_results(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}
