"""Failures that are not a provider's own errors, on a real PostgreSQL catalog.

Each is recorded as the provider's failure (``last_status`` not ``ok``, an error snapshot),
so ``missing_providers`` lists it; the provider keeps its last good rows and another
provider's sync still succeeds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import OperationalError

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
from catalog_pipeline.store import catalog_version
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


def _materialize(
    world: FaultWorld, instance: dg.DagsterInstance | None, slug: str, url: str | None = None
) -> Any:
    with provider_base_url(world.server.url):
        return dg.materialize(
            PROVIDER_ASSETS,
            partition_key=slug,
            resources={
                "provider_client": ProviderClientResource(**{**CLIENT, "timeout_seconds": 10.0}),
                "catalog_store": CatalogStoreResource(database_url=url or world.database_url),
                "check_settings": CheckSettings(),
            },
            instance=instance or world.instance,
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


def _with_query(url: str, **params: str) -> str:
    return str(make_url(url).update_query_dict(params).render_as_string(hide_password=False))


def _timed(function: Callable[[], Any], limit: float) -> tuple[Any, float]:
    """``function()`` in a thread, at most ``limit`` seconds: (its result or error, seconds)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = function()
        except Exception as error:
            outcome["value"] = error

    started = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(limit)
    return outcome.get("value", TimeoutError(f"still running after {limit} s")), (
        time.monotonic() - started
    )


def _error_chain(result: Any) -> str:
    return "\n".join(
        event.step_failure_data.error.to_string()
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data.error is not None
    )


def test_a_session_frozen_after_the_version_bump_blocks_other_providers_only_briefly(
    fresh: FaultWorld, record_fault
) -> None:
    """A catalog connection that bumped the catalog version and went quiet (a frozen
    process) holds the lock every writer needs; PostgreSQL ends that session after its
    idle-in-transaction timeout, and another provider's write goes through."""
    world = fresh
    frozen = engine_for(_with_query(world.database_url, idle_in_transaction_session_timeout="2s"))
    document = faults.load(world.server.root, "together", "v1/models")
    world.server.faults["together"] = [
        faults.with_items(document, None, faults.map_items(_reprice))
    ]
    record_fault("catalog_session_frozen_after_the_version_bump")
    conn = frozen.connect()
    try:
        conn.begin()
        catalog_version.bump(conn)
        result, seconds = _timed(lambda: world.sync("together"), 40)
    finally:
        with contextlib.suppress(Exception):
            conn.rollback()
        with contextlib.suppress(Exception):
            conn.close()
    assert not isinstance(result, Exception), result
    assert result.success, failure_text(result)
    assert seconds < 20, f"the other provider waited {seconds:.1f} s"
    restored = world.sync("together")
    assert restored.success, failure_text(restored)


def test_a_lock_held_elsewhere_fails_the_write_after_lock_timeout(
    fresh: FaultWorld, record_fault
) -> None:
    world = fresh
    url = _with_query(world.database_url, lock_timeout="1s")
    document = faults.load(world.server.root, "together", "v1/models")
    world.server.faults["together"] = [
        faults.with_items(document, None, faults.map_items(_reprice))
    ]
    record_fault("provider_row_locked_by_another_session")
    holder = engine_for(world.database_url).connect()
    try:
        holder.begin()
        holder.execute(text("SELECT id FROM providers WHERE slug = 'together' FOR UPDATE"))
        result, seconds = _timed(lambda: _materialize(world, None, "together", url), 40)
    finally:
        holder.rollback()
        holder.close()
    assert not isinstance(result, Exception), result
    assert not result.success
    assert "lock timeout" in _error_chain(result)
    assert seconds < 20, f"the write waited {seconds:.1f} s"


def test_a_statement_past_its_timeout_is_cancelled(fresh: FaultWorld) -> None:
    engine = engine_for(_with_query(fresh.database_url, statement_timeout="500ms"))
    with engine.connect() as conn:
        started = time.monotonic()
        with pytest.raises(OperationalError, match="statement timeout"):
            conn.execute(text("SELECT pg_sleep(5)"))
    assert time.monotonic() - started < 4


def test_a_server_that_never_answers_fails_the_connect_in_time(record_fault) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        url = f"postgresql+psycopg://catalog@127.0.0.1:{port}/catalog"
        record_fault("database_server_never_answers")
        result, seconds = _timed(lambda: engine_for(url).connect().close(), 40)
    assert isinstance(result, OperationalError), result
    assert seconds < 25, f"the connect waited {seconds:.1f} s (default connect_timeout 10 s)"
