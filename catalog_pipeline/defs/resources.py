"""The resources every asset, check, job and sensor shares, configurable in the launchpad.

Each resource is the plain class of the layer below (the store, the HTTP client, the
check thresholds) made configurable by Dagster; the code below ``defs/`` never imports
Dagster and is used the same way by the CLI, the tests and the benchmarks.
"""

from __future__ import annotations

import os

import dagster as dg
from pydantic import field_validator

from catalog_pipeline.defs.alerts import WEBHOOK_ENV, AlertNotifier
from catalog_pipeline.pipeline.check_settings import CheckThresholds
from catalog_pipeline.providers.client import ProviderClient
from catalog_pipeline.settings import DATABASE_URL_ENV
from catalog_pipeline.store.catalog_store import DEFAULT_RAW_PAGES_KEPT, CatalogStore


class CatalogStoreResource(dg.ConfigurableResource, CatalogStore):
    """The catalog database (SQLite by default, PostgreSQL via ``CATALOG_DATABASE_URL``).

    Run config may keep more raw pages than the default, never fewer: a sync that keeps
    fewer deletes stored pages with no confirmation, backup or audit row, which is what
    the ``prune_raw_pages`` admin job is for.
    """

    @field_validator("raw_pages_kept")
    @classmethod
    def _no_pruning_from_run_config(cls, value: int) -> int:
        if value < DEFAULT_RAW_PAGES_KEPT:
            raise ValueError(
                f"raw_pages_kept {value} is below the default {DEFAULT_RAW_PAGES_KEPT}: a sync "
                "would delete stored raw pages. Pruning is an admin operation: run the "
                "prune_raw_pages job (confirmation, backup and audit row)."
            )
        return value


class ProviderClientResource(dg.ConfigurableResource, ProviderClient):
    """Fetches provider model lists over httpx, with retries, limits and deadlines.

    There is no base-URL setting here on purpose: run config is open to whoever may launch a
    run, and a base URL there would send every provider key to a host of their choosing.
    The replay override is ``CATALOG_PROVIDER_BASE_URL``, read from the environment only.
    """


class CheckSettings(dg.ConfigurableResource, CheckThresholds):
    """Check thresholds. Per-provider overrides take precedence over the defaults."""


def _env_or_none(name: str) -> dg.EnvVar | None:
    """An EnvVar when the variable is set (masked in the UI), else None for the default."""
    return dg.EnvVar(name) if os.environ.get(name) else None


def build_resources() -> dict[str, dg.ConfigurableResource]:
    return {
        "provider_client": ProviderClientResource(),
        "catalog_store": CatalogStoreResource(database_url=_env_or_none(DATABASE_URL_ENV)),
        "check_settings": CheckSettings(),
        "alert_notifier": AlertNotifier(webhook_url=_env_or_none(WEBHOOK_ENV)),
    }


@dg.definitions
def resources() -> dg.Definitions:
    """The resources and the executor of the code location (found by ``dg.load_defs``)."""
    return dg.Definitions(resources=build_resources(), executor=dg.in_process_executor)
