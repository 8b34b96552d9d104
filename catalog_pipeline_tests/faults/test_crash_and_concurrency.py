"""Crash safety and concurrent writers of one provider's rows, on real PostgreSQL.

A sync's write step (``CatalogStore.apply_offers``) runs in a child process that is
SIGKILLed while its transaction is open; the provider's rows must then be exactly the old
version or exactly the new one, and the next write must go through. Two writers of the
same provider at once must queue on the provider row lock: the result is one writer's
version, never a mix, and the price history stays one open interval per model.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, text

from catalog_pipeline.pipeline.registration import provider_rows
from catalog_pipeline.providers.registry import PROVIDERS
from catalog_pipeline.store import schema
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.engine import engine_for
from catalog_pipeline_tests.faults.apply_child import expected, offer_set

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

PROVIDER = "groq"
CHILD = "catalog_pipeline_tests.faults.apply_child"
CRASH_COUNT = 1500
KILL_DELAYS = (0.0, 0.1, 0.3, 0.6)
"""Seconds after the child's transaction has written its first row."""


@pytest.fixture
def store(postgres_url: str) -> CatalogStore:
    store = CatalogStore(database_url=postgres_url)
    store.register_providers(provider_rows(PROVIDERS))
    return store


def active_prices(store: CatalogStore, slug: str = PROVIDER) -> dict[str, Decimal]:
    return {r["provider_model_id"]: r["prompt"] for r in store.offers() if r["provider"] == slug}


def open_history(store: CatalogStore) -> dict[str, list[Decimal]]:
    history = schema.price_history
    with engine_for(store.url).connect() as conn:
        rows = conn.execute(
            select(history.c.provider_model_id, history.c.prompt).where(
                history.c.valid_to.is_(None)
            )
        ).all()
    opened: dict[str, list[Decimal]] = {}
    for model_id, prompt in rows:
        opened.setdefault(model_id, []).append(prompt)
    return opened


def duplicate_rows(store: CatalogStore) -> int:
    with engine_for(store.url).connect() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM (SELECT provider_id, provider_model_id FROM models "
                "GROUP BY 1, 2 HAVING count(*) > 1) AS d"
            )
        ).scalar_one()


def write_in_progress(store: CatalogStore, app: str) -> bool:
    """True while the child's backend holds a transaction that has written something."""
    with engine_for(store.url).connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE application_name = :app AND backend_xid IS NOT NULL"
                ),
                {"app": app},
            ).scalar_one()
        )


def start_child(url: str, version: int, app: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PGAPPNAME": app}
    return subprocess.Popen(
        [sys.executable, "-m", CHILD, url, PROVIDER, str(version), str(CRASH_COUNT)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def in_thread(function: Any, *args: Any, timeout: float = 60) -> Any:
    """Run ``function`` and fail (instead of hanging) if a dead writer left a lock behind."""
    out: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: out.update(value=function(*args)), daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), f"{function.__name__} still blocked after {timeout}s"
    return out.get("value")


def kill_during_write(
    store: CatalogStore, child: subprocess.Popen[str], app: str, delay: float
) -> None:
    """Let the child start its write, wait until its transaction has written, then SIGKILL."""
    assert child.stdin is not None and child.stdout is not None
    assert child.stdout.readline().strip() == "ready", child.stderr and child.stderr.read()
    child.stdin.write("go\n")
    child.stdin.flush()
    assert child.stdout.readline().strip() == "applying"
    deadline = time.monotonic() + 30
    while not write_in_progress(store, app):
        assert child.poll() is None, "the write finished before it could be killed"
        assert time.monotonic() < deadline, "the child never started writing"
        time.sleep(0.005)
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)


def test_sigkill_during_the_write_leaves_old_or_new_never_a_mix(
    store: CatalogStore, record_fault
) -> None:
    old, new = expected(PROVIDER, 0, CRASH_COUNT), expected(PROVIDER, 1, CRASH_COUNT)
    store.apply_offers(PROVIDER, offer_set(PROVIDER, 0, CRASH_COUNT), None)
    assert active_prices(store) == old

    apps = [f"crash-child-{os.getpid()}-{index}" for index in range(len(KILL_DELAYS))]
    children = [start_child(store.url, 1, app) for app in apps]
    outcomes = []
    try:
        for child, app, delay in zip(children, apps, KILL_DELAYS, strict=True):
            record_fault(f"sigkill_during_write_{delay}s")
            kill_during_write(store, child, app, delay)
            state = active_prices(store)
            assert state in (old, new), f"kill after {delay}s left a mix of versions"
            outcomes.append("old" if state == old else "new")
            assert duplicate_rows(store) == 0
            assert all(len(p) == 1 for p in open_history(store).values())
            if state == new:
                store.apply_offers(PROVIDER, offer_set(PROVIDER, 0, CRASH_COUNT), None)
    finally:
        for child in children:
            child.kill()
            child.wait(timeout=30)

    assert "old" in outcomes, f"no kill landed inside the transaction: {outcomes}"
    in_thread(store.apply_offers, PROVIDER, offer_set(PROVIDER, 1, CRASH_COUNT), None)
    assert active_prices(store) == new
    assert {m: p[0] for m, p in open_history(store).items() if m in new} == new


COUNT = 600


@pytest.fixture
def concurrent_store(store: CatalogStore) -> Iterator[CatalogStore]:
    store.apply_offers(PROVIDER, offer_set(PROVIDER, 0, COUNT), None)
    yield store


def test_two_writers_of_one_provider_queue_and_never_interleave(
    concurrent_store: CatalogStore, record_fault
) -> None:
    store = concurrent_store
    versions = {v: expected(PROVIDER, v, COUNT) for v in (1, 2)}
    for round_ in range(3):
        record_fault(f"two_concurrent_writers_round_{round_}")
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def write(version: int, barrier=barrier, errors=errors) -> None:
            try:
                barrier.wait()
                store.apply_offers(PROVIDER, offer_set(PROVIDER, version, COUNT), None)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(v,)) for v in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors, errors
        state = active_prices(store)
        assert state in versions.values(), "two writers interleaved their rows"
        assert duplicate_rows(store) == 0
        opened = open_history(store)
        assert {m: p for m, p in opened.items() if len(p) > 1} == {}
        assert {m: p[0] for m, p in opened.items() if m in state} == state
        store.apply_offers(PROVIDER, offer_set(PROVIDER, 0, COUNT), None)


def test_a_second_writer_waits_for_the_first(concurrent_store: CatalogStore, record_fault) -> None:
    """While another sync holds the provider row (SELECT ... FOR UPDATE), a write waits."""
    store = concurrent_store
    record_fault("writer_blocked_by_running_sync")
    holder = engine_for(store.url).connect()
    transaction = holder.begin()
    holder.execute(
        select(schema.providers.c.id).where(schema.providers.c.slug == PROVIDER).with_for_update()
    )
    done = threading.Event()
    worker = threading.Thread(
        target=lambda: (
            store.apply_offers(PROVIDER, offer_set(PROVIDER, 1, COUNT), None),
            done.set(),
        ),
        daemon=True,
    )
    worker.start()
    try:
        assert not done.wait(1.0), "the write did not wait for the running sync's lock"
        assert active_prices(store) == expected(PROVIDER, 0, COUNT)
    finally:
        transaction.commit()
        holder.close()
    worker.join(60)
    assert done.is_set()
    assert active_prices(store) == expected(PROVIDER, 1, COUNT)


def test_concurrent_writes_of_two_providers_each_bump_the_catalog_version(
    store: CatalogStore, record_fault
) -> None:
    """Provider A's write is about to commit when provider B's write reaches the version bump.

    A runs inside a transaction the test holds open (``apply_offers_in``, the admin jobs'
    entry point), B through ``apply_offers`` in a thread; B must not lose A's bump.
    """
    record_fault("two_providers_written_at_once")
    start = store.catalog_version()
    engine = engine_for(store.url)
    with engine.connect() as conn:
        transaction = conn.begin()
        store.apply_offers_in(conn, "groq", offer_set("groq", 0, COUNT), None)
        worker = threading.Thread(
            target=store.apply_offers,
            args=("together", offer_set("together", 0, COUNT), None),
            daemon=True,
        )
        worker.start()
        deadline = time.monotonic() + 30
        while not _waiting_on_a_lock(store):
            assert worker.is_alive() and time.monotonic() < deadline, "B never reached the bump"
            time.sleep(0.01)
        transaction.commit()
    worker.join(60)
    assert len(active_prices(store, "groq")) == len(active_prices(store, "together")) == COUNT
    assert store.catalog_version() == start + 2


def _waiting_on_a_lock(store: CatalogStore) -> bool:
    with engine_for(store.url).connect() as conn:
        return bool(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
        )
