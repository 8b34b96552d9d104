"""A sync reads a provider's stored rows once: its write step diffs against what its fetch
step read, unless the provider's rows changed in between (then it reads them again).

Each scenario runs twice, on two providers: once with the rows carried from an earlier
read and once without (the store reads them under the lock); both must end the same.
"""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event

from catalog_pipeline.domain.rows import Offer, Prices
from catalog_pipeline.pipeline.registration import provider_rows
from catalog_pipeline.providers.registry import PROVIDERS
from catalog_pipeline.store import admin, apply
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.diff import ChangeSummary
from catalog_pipeline.store.engine import engine_for

CARRIED, READ = "groq", "together"
MODELS_READ = re.compile(r"^\s*SELECT\b.*\bFROM models\b", re.S | re.I)


def offer(model_id: str, prompt: str = "0.000001", name: str | None = None) -> Offer:
    return Offer(
        provider="any",
        provider_model_id=model_id,
        canonical_id=f"org/{model_id.lower()}",
        publisher="org",
        display_name=name or model_id,
        prices=Prices(prompt=Decimal(prompt), completion=Decimal("0.000002")),
    )


def offers_of(number: int) -> list[Offer]:
    """0: six offers. 1: one repriced, one renamed, one gone, one new. 2: the gone one is
    back, one more is gone. 3: as 2 (only the one gone misses again: deprecated)."""
    first = [offer(f"m{i}") for i in range(6)]
    if number == 0:
        return first
    second = [offer("m0", "0.000003"), offer("m1", name="M1 renamed"), *first[2:5], offer("new")]
    if number == 1:
        return second
    return [*second[:4], offer("m5"), offer("new")]


START = dt.datetime(2026, 11, 20, 5, 30, tzinfo=dt.UTC)
CLOCK = {"now": START}


@pytest.fixture(autouse=True)
def sync_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The store's ``now`` is the day of the generation applied, the same for both
    providers, so their timestamps (``last_seen_at`` of missing rows) compare equal."""

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
            return CLOCK["now"]

    CLOCK["now"] = START
    monkeypatch.setattr(apply, "dt", types.SimpleNamespace(datetime=Frozen, UTC=dt.UTC))


def generation(number: int) -> list[Offer]:
    """The offers of day ``number`` (and the store's clock set to that day)."""
    CLOCK["now"] = START + dt.timedelta(days=number)
    return offers_of(number)


@pytest.fixture
def store(database_url: str) -> CatalogStore:
    store = CatalogStore(database_url=database_url, deprecate_after_misses=2)
    store.register_providers(provider_rows(PROVIDERS))
    return store


@pytest.fixture
def model_reads(database_url: str) -> Iterator[list[str]]:
    """The SELECT statements on the models table while the test runs."""
    engine = engine_for(database_url)
    reads: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if MODELS_READ.search(statement):
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield reads
    event.remove(engine, "before_cursor_execute", record)


def rows(store: CatalogStore, slug: str) -> dict[str, tuple[Any, ...]]:
    keep = ("display_name", "prompt", "status", "missing_count", "content_hash", "last_seen_at")
    return {
        row["provider_model_id"]: tuple(row[name] for name in keep)
        for row in store.offers(("active", "missing", "deprecated"))
        if row["provider"] == slug
    }


def outcome(summary: ChangeSummary) -> tuple[Any, ...]:
    return (
        summary.added,
        summary.repriced,
        summary.updated,
        summary.reappeared,
        summary.missing,
        summary.deprecated,
        summary.unchanged,
        summary.rows_written,
    )


def test_a_carried_read_is_the_only_read_of_the_rows(
    store: CatalogStore, model_reads: list[str]
) -> None:
    store.apply_offers(CARRIED, generation(0), None)
    store.apply_offers(READ, generation(0), None)
    for number in (1, 2, 3):
        stored = store.stored_offers(CARRIED)
        model_reads.clear()
        carried = store.apply_offers(CARRIED, generation(number), None, stored)
        assert model_reads == [], f"generation {number} read the models table again"
        read = store.apply_offers(READ, generation(number), None)
        assert model_reads, "without carried rows the store reads them under the lock"
        assert outcome(carried) == outcome(read)
        assert rows(store, CARRIED) == rows(store, READ)
    assert (carried.deprecated, carried.unchanged, carried.rows_written) == (["m4"], 6, 1)
    assert rows(store, CARRIED)["m1"][0] == "M1 renamed"
    assert rows(store, CARRIED)["m0"][1] == Decimal("0.000003")


def test_rows_changed_after_the_read_are_read_again(
    store: CatalogStore, model_reads: list[str]
) -> None:
    """Two runs of one provider overlap: the second's read is stale when it writes."""
    for slug in (CARRIED, READ):
        store.apply_offers(slug, generation(0), None)
    stale = store.stored_offers(CARRIED)
    first = store.apply_offers(CARRIED, generation(1), None, store.stored_offers(CARRIED))
    assert first.rows_written > 0 and stale.version != store.stored_offers(CARRIED).version
    store.apply_offers(READ, generation(1), None)

    model_reads.clear()
    carried = store.apply_offers(CARRIED, generation(2), None, stale)
    assert model_reads, "a stale read must not be diffed against"
    read = store.apply_offers(READ, generation(2), None)
    assert outcome(carried) == outcome(read)
    assert carried.reappeared == ["m5"] and carried.missing == ["m4"]
    assert rows(store, CARRIED) == rows(store, READ)


def test_an_admin_operation_makes_every_earlier_read_stale(store: CatalogStore) -> None:
    """A flush deletes rows outside ``apply_offers``: a sync that read before it must not
    take its empty table for unchanged (it would write nothing and leave no rows)."""
    store.apply_offers(CARRIED, generation(0), None)
    store.apply_offers(CARRIED, generation(1), None)
    before_flush = store.stored_offers(CARRIED)
    admin.flush_models(store, None, admin.CONFIRM_FLUSH_MODELS)
    summary = store.apply_offers(CARRIED, generation(1), None, before_flush)
    assert sorted(summary.added) == ["m0", "m1", "m2", "m3", "m4", "new"]
    assert store.model_count(CARRIED) == 6


def test_the_read_holds_every_row_and_the_active_prices(store: CatalogStore) -> None:
    store.apply_offers(CARRIED, generation(0), None)
    store.apply_offers(CARRIED, generation(1), None)
    stored = store.stored_offers(CARRIED)
    assert sorted(stored.rows) == ["m0", "m1", "m2", "m3", "m4", "m5", "new"]
    assert stored.active_ids() == {"m0", "m1", "m2", "m3", "m4", "new"}
    prices = stored.active_prices()
    assert prices["m0"][:2] == (Decimal("0.000003"), Decimal("0.000002"))
    assert "m5" not in prices
    assert stored.version == store.catalog_version()
