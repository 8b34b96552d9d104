"""Failures that are not a provider's own errors, on a real PostgreSQL catalog.

Each is recorded as the provider's failure (``last_status`` not ``ok``, an error snapshot),
so ``missing_providers`` lists it; the provider keeps its last good rows and another
provider's sync still succeeds.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
from sqlalchemy import text

from catalog_pipeline.defs.jobs import PROVIDER_ASSETS
from catalog_pipeline.defs.resources import (
    CatalogStoreResource,
    CheckSettings,
    ProviderClientResource,
)
from catalog_pipeline.pipeline.catalog_checks import missing_providers
from catalog_pipeline.pipeline.check_settings import CheckThresholds
from catalog_pipeline.providers.client import provider_base_url
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.replay import faults
from catalog_pipeline.replay.server import CannedResponse
from catalog_pipeline.store.engine import engine_for
from catalog_pipeline_tests.faults.conftest import CLIENT, FaultWorld
from catalog_pipeline_tests.pipeline.harness import failure_text

pytestmark = pytest.mark.postgres


def _reprice(index: int, item: dict[str, Any]) -> dict[str, Any]:
    item["pricing"]["input"] = item["pricing"]["input"] * 1.5
    return item


@pytest.fixture
def failing_write(world: FaultWorld) -> Iterator[None]:
    """A real PostgreSQL error in the write: a trigger refuses any change to ``models``."""
    engine = engine_for(world.database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE FUNCTION refuse_write() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'injected: disk quota exceeded'; END $$ LANGUAGE plpgsql"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER refuse_write BEFORE INSERT OR UPDATE ON models "
                "FOR EACH ROW EXECUTE FUNCTION refuse_write()"
            )
        )
    yield
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER refuse_write ON models"))
        conn.execute(text("DROP FUNCTION refuse_write()"))


def _bad_gzip(document: Any) -> list[CannedResponse]:
    return [CannedResponse(200, b"\x1f\x8b\x08\x00garbage", {"Content-Encoding": "gzip"})] * 3


def _redirect_loop(world: FaultWorld) -> list[CannedResponse]:
    here = f"{world.server.url}/groq/openai/v1/models"
    return [faults.redirect(here) for _ in range(60)]


FAILURES: dict[str, Callable[[FaultWorld, Any], list[CannedResponse]]] = {
    "too_many_redirects": lambda world, doc: _redirect_loop(world),
    "bad_gzip_stream": lambda world, doc: _bad_gzip(doc),
    "retry_after_soon": lambda world, doc: faults.http_errors(429, 3, retry_after="soon"),
}


def assert_recorded_failure(world: FaultWorld, slug: str, before: list, expect: str) -> None:
    state = world.state(slug)
    assert state["last_status"] == "failed", state
    assert expect in (state["last_error"] or ""), state["last_error"]
    assert world.rows(slug) == before, "the provider's last good rows changed"
    with engine_for(world.database_url).connect() as conn:
        snapshot = conn.execute(
            text(
                "SELECT s.status, s.error FROM provider_snapshots s JOIN providers p "
                "ON p.id = s.provider_id WHERE p.slug = :slug ORDER BY s.id DESC LIMIT 1"
            ),
            {"slug": slug},
        ).one()
    assert snapshot.status == "failed" and expect in snapshot.error
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    check = missing_providers(world.store.provider_states(), [slug], CheckThresholds(), later)
    assert not check.passed and check.severity == "ERROR" and slug in check.summary


@pytest.mark.parametrize("mode", sorted(FAILURES))
def test_a_transport_failure_is_the_providers_recorded_failure(
    fresh: FaultWorld, record_fault, mode: str
) -> None:
    world = fresh
    before = world.rows("groq")
    document = faults.load(world.server.root, "groq", "openai/v1/models")
    world.server.faults["groq"] = FAILURES[mode](world, document)
    record_fault(mode)
    result = world.sync("groq")
    world.server.faults.clear()
    assert not result.success
    assert_recorded_failure(world, "groq", before, "provider 'groq'")
    other = world.sync("together")
    assert other.success, failure_text(other)


def test_a_database_error_in_the_write_is_the_providers_recorded_failure(
    fresh: FaultWorld, record_fault, failing_write: None
) -> None:
    world = fresh
    before = world.rows("together")
    document = faults.load(world.server.root, "together", "v1/models")
    world.server.faults["together"] = [
        faults.with_items(document, None, faults.map_items(_reprice))
    ]
    record_fault("database_error_in_the_write")
    result = world.sync("together")
    assert not result.success
    assert_recorded_failure(world, "together", before, "injected: disk quota exceeded")


def test_memory_error_in_a_parser_is_the_providers_recorded_failure(
    fresh: FaultWorld, record_fault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parser's dialect is made to run out of memory (the thing under test is the
    recording of the failure, not the parser)."""
    world = fresh
    before = world.rows("groq")
    dialect = type(get_provider("groq").parser)

    def out_of_memory(self: Any, spec: Any, item: dict[str, Any]) -> Any:
        raise MemoryError("injected")

    monkeypatch.setattr(dialect, "parse_item", out_of_memory)
    record_fault("memory_error_while_parsing")
    result = world.sync("groq")
    monkeypatch.undo()
    assert not result.success
    assert_recorded_failure(world, "groq", before, "MemoryError")
    assert world.sync("groq").success


def _materialize(world: FaultWorld, instance: dg.DagsterInstance, slug: str) -> Any:
    with provider_base_url(world.server.url):
        return dg.materialize(
            PROVIDER_ASSETS,
            partition_key=slug,
            resources={
                "provider_client": ProviderClientResource(**{**CLIENT, "timeout_seconds": 10.0}),
                "catalog_store": CatalogStoreResource(database_url=world.database_url),
                "check_settings": CheckSettings(),
            },
            instance=instance,
            raise_on_error=False,
        )


def test_two_syncs_of_one_provider_at_once_never_exchange_data(
    fresh: FaultWorld, record_fault, tmp_path
) -> None:
    """Two real runs of the same partition on one instance (each its own instance object, in
    its own thread, as two CLI processes would be): the later one is refused with a clear
    message, the earlier applies exactly the list it fetched, and each run's intermediate
    values live in files of its own."""
    world = fresh
    document = faults.load(world.server.root, "groq", "openai/v1/models")
    first_four = faults.with_items(document, "data", lambda items: items[:4])
    world.server.faults["groq"] = [
        CannedResponse(200, first_four.body, delay_seconds=2.0),
        faults.ok(document),
    ]
    record_fault("two_syncs_of_one_provider_at_once")
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        results: dict[str, Any] = {}

        def run(name: str) -> None:
            with dg.DagsterInstance.from_ref(instance.get_ref()) as own:
                results[name] = _materialize(world, own, "groq")

        first = threading.Thread(target=run, args=("first",))
        second = threading.Thread(target=run, args=("second",))
        first.start()
        time.sleep(0.8)
        second.start()
        first.join(60)
        second.join(60)
        world.server.faults.clear()
        assert results["first"].success, failure_text(results["first"])
        assert not results["second"].success
        assert "another sync of this provider is in progress" in failure_text(results["second"])
        [written] = results["first"].asset_materializations_for_node("models")
        assert written.metadata["offers"].value == 4, "the run applied a list it did not fetch"
        assert world.state("groq")["model_count"] == 4
        storage = Path(instance.storage_directory())
        runs = list((storage / "run_scoped" / "provider_models" / "groq").iterdir())
        assert [p.name for p in runs] == [results["first"].run_id]
        assert not (storage / "provider_models").exists()
    restored = world.sync("groq")
    assert restored.success, failure_text(restored)
