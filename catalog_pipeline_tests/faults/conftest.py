"""Fixtures of the fault suite: one PostgreSQL catalog per module with a good baseline sync.

Every fault test records the fault it injected (``record_fault``); the terminal summary
(:mod:`catalog_pipeline_tests.faults.summary`) prints how many were injected and survived.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from catalog_pipeline.defs.jobs import PROVIDER_ASSETS
from catalog_pipeline.defs.resources import (
    CatalogStoreResource,
    CheckSettings,
    ProviderClientResource,
)
from catalog_pipeline.providers.client import provider_base_url
from catalog_pipeline.replay.server import ReplayServer
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline_tests.conftest import (
    DEFAULT_POSTGRES,
    POSTGRES_ENV,
    RECORDINGS,
    _postgres_database,
)
from catalog_pipeline_tests.faults import summary
from catalog_pipeline_tests.faults.summary import FAULT_PROPERTY

SUMMARY_PLUGIN = "catalog_pipeline_tests.faults.summary"
BASELINE = ("groq", "together", "openrouter", "anthropic")
CLIENT = {
    "timeout_seconds": 1.0,
    "connect_timeout_seconds": 1.0,
    "max_attempts": 3,
    "backoff_seconds": 0.01,
    "max_retry_delay_seconds": 2.0,
    "require_api_keys": False,
}
ALL_STATUSES = ("active", "missing", "deprecated")


@dataclass
class FaultWorld:
    """A catalog on real PostgreSQL, a replay server and a Dagster instance, shared by a module."""

    database_url: str
    server: ReplayServer
    instance: dg.DagsterInstance

    @property
    def store(self) -> CatalogStore:
        return CatalogStore(database_url=self.database_url)

    def sync(
        self,
        slug: str,
        *,
        base_url: str | None = None,
        checks: dict[str, Any] | None = None,
        **client: Any,
    ) -> dg.ExecuteInProcessResult:
        """One real run of the provider's partition (fetch, check, normalize, write)."""
        settings = {**CLIENT, **client}
        with provider_base_url(base_url or self.server.url):
            return dg.materialize(
                PROVIDER_ASSETS,
                partition_key=slug,
                resources={
                    "provider_client": ProviderClientResource(**settings),
                    "catalog_store": CatalogStoreResource(database_url=self.database_url),
                    "check_settings": CheckSettings(**(checks or {})),
                },
                instance=self.instance,
                raise_on_error=False,
            )

    def rows(self, slug: str) -> list[dict[str, Any]]:
        """Every models-table row of one provider, any status, all columns but ``last_seen_at``.

        ``last_seen_at`` of an active row is the provider's last successful sync, which a
        successful sync moves without writing the row; :meth:`last_success` tracks it.
        """
        return [
            {k: v for k, v in row.items() if k != "last_seen_at"}
            for row in self.store.offers(statuses=ALL_STATUSES)
            if row["provider"] == slug
        ]

    def state(self, slug: str) -> dict[str, Any]:
        return {s["slug"]: s for s in self.store.provider_states()}[slug]

    def requests_to(self, slug: str) -> int:
        return sum(1 for r in self.server.requests if r.provider == slug)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultWorld]:
    root = tmp_path_factory.mktemp("fault-recordings") / "recordings"
    shutil.copytree(RECORDINGS, root)
    base = os.environ.get(POSTGRES_ENV) or DEFAULT_POSTGRES
    for database_url in _postgres_database(base):
        with ReplayServer(root) as server, dg.DagsterInstance.ephemeral() as instance:
            state = FaultWorld(database_url, server, instance)
            for slug in BASELINE:
                result = state.sync(slug)
                assert result.success, f"baseline sync of {slug} failed"
            yield state


@pytest.fixture
def fresh(world: FaultWorld) -> Iterator[FaultWorld]:
    """The module's world with no fault left queued by the previous test."""
    world.server.faults.clear()
    world.server.latency.clear()
    yield world
    world.server.faults.clear()
    world.server.latency.clear()


@pytest.fixture
def record_fault(record_property: Callable[[str, object], None]) -> Callable[[str], None]:
    """Call with the fault's name when it is injected; the summary counts it."""
    return lambda mode: record_property(FAULT_PROPERTY, mode)


def recording(world: FaultWorld, slug: str, path: str) -> Path:
    return world.server.root / slug / (path.strip("/") + ".json")


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.is_registered(summary):
        config.pluginmanager.register(summary, SUMMARY_PLUGIN)
    config.addinivalue_line(
        "markers", "slow: starts and kills real processes or races real writers (several seconds)"
    )
