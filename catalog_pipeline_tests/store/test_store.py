"""The store on SQLite and real PostgreSQL: providers, raw pages, exact prices, incremental
writes (migrations: ``test_migrations.py``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from sqlalchemy import event, func, select

from catalog_pipeline.domain.rows import Offer, Prices
from catalog_pipeline.pipeline.registration import provider_rows
from catalog_pipeline.providers.registry import PROVIDERS
from catalog_pipeline.store import schema
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.records import FetchRecord, PageRecord


def offer(model_id: str, prompt: str | None = "0.000003", **extra: object) -> Offer:
    return Offer(
        provider="openrouter",
        provider_model_id=model_id,
        canonical_id=model_id.lower(),
        publisher=model_id.split("/")[0].lower(),
        display_name=model_id,
        prices=Prices(prompt=Decimal(prompt) if prompt else None, completion=Decimal("0.000015")),
        **extra,
    )


def store_for(url: str, **config: object) -> CatalogStore:
    store = CatalogStore(database_url=url, **config)
    store.register_providers(provider_rows(PROVIDERS))
    return store


def test_runs_starting_together_register_the_providers_once(database_url: str) -> None:
    """Every run registers the roster; on a fresh database a backfill's runs do it at once."""
    store = CatalogStore(database_url=database_url)
    store.engine()
    start = threading.Barrier(8)

    def register(_: int) -> None:
        start.wait()
        store.register_providers(provider_rows(PROVIDERS))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(register, range(8)))
    assert [s["slug"] for s in store.provider_states()] == sorted(p.slug for p in PROVIDERS)

    writes: list[str] = []

    def record(conn, cursor, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    renamed = [
        dataclasses.replace(p, name="Groq Cloud") if p.slug == "groq" else p
        for p in provider_rows(PROVIDERS)
    ]
    event.listen(store.engine(), "before_cursor_execute", record)
    try:
        store.register_providers(provider_rows(PROVIDERS))
        assert writes == [], "an unchanged roster must not write (or row-lock) providers"
        store.register_providers(renamed)
        assert len(writes) == 1
    finally:
        event.remove(store.engine(), "before_cursor_execute", record)
    names = {s["slug"]: s["name"] for s in store.provider_states()}
    assert names["groq"] == "Groq Cloud" and names["openai"] == "OpenAI"
    store.engine().dispose()


def fetched(day: int, pages: int = 2) -> FetchRecord:
    raw = [
        PageRecord(
            url=f"https://api.groq.com/openai/v1/models?page={i}",
            http_status=200,
            sha256=f"{day:02d}{i:062d}",
            size=10,
            content_gzip=gzip.compress(b'{"data": []}'),
        )
        for i in range(pages)
    ]
    return FetchRecord(
        fetched_at=dt.datetime(2026, 11, day, 5, tzinfo=dt.UTC),
        sha256=f"{day:064d}",
        model_count=0,
        rejected_count=0,
        pages=raw,
    )


def test_raw_pages_are_kept_for_the_newest_fetches_only(database_url: str) -> None:
    store = store_for(database_url, raw_pages_kept=3)
    kept = [store.record_fetch("groq", fetched(day), run_id=None) for day in range(1, 5)]
    for day in range(5, 9):  # failures have no pages and must not push good payloads out
        store.record_failure("groq", "failed", f"HTTP 503 on day {day}", run_id=None)
    kept.append(store.record_fetch("groq", fetched(9), run_id=None))
    snapshots, pages = schema.provider_snapshots, schema.raw_payloads
    with store.engine().connect() as conn:
        with_pages = conn.execute(select(pages.c.snapshot_id).distinct()).scalars().all()
        rows = conn.execute(select(func.count()).select_from(snapshots)).scalar_one()
        page_rows = conn.execute(select(func.count()).select_from(pages)).scalar_one()
    assert sorted(with_pages) == kept[-3:]
    assert page_rows == 3 * 2
    assert rows == 9, "every fetch and failure keeps its snapshot row"
    store.engine().dispose()


def test_prices_round_trip_exactly(database_url: str) -> None:
    store = store_for(database_url)
    tiny = "0.000000000123456789012"
    store.apply_offers("openrouter", [offer("a/tiny", tiny)], None)
    (row,) = store.offers()
    assert row["prompt"] == Decimal(tiny)
    assert isinstance(row["prompt"], Decimal)


def test_provider_model_id_keeps_case_and_is_unique_per_provider(database_url: str) -> None:
    store = store_for(database_url)
    store.apply_offers("openrouter", [offer("Org/Model-X"), offer("org/model-x")], None)
    ids = sorted(row["provider_model_id"] for row in store.offers())
    assert ids == ["Org/Model-X", "org/model-x"]


def test_unchanged_resync_writes_no_rows_and_keeps_the_version(database_url: str) -> None:
    store = store_for(database_url)
    offers = [offer(f"a/m{i}") for i in range(50)]
    first = store.apply_offers("openrouter", offers, None)
    assert first.rows_written == 50 and len(first.added) == 50
    second = store.apply_offers("openrouter", offers, None)
    assert second.rows_written == 0
    assert second.unchanged == 50
    assert second.catalog_version == first.catalog_version


def test_price_change_closes_and_opens_history(database_url: str) -> None:
    store = store_for(database_url)
    store.apply_offers("openrouter", [offer("a/m", "0.000003")], None)
    changed = store.apply_offers("openrouter", [offer("a/m", "0.000004")], None)
    assert changed.rows_written == 1
    assert changed.repriced[0][1]["prompt"] == "0.000003"
    assert changed.repriced[0][2]["prompt"] == "0.000004"
    with store.engine().connect() as conn:
        rows = conn.execute(
            select(schema.price_history.c.prompt, schema.price_history.c.valid_to).order_by(
                schema.price_history.c.id
            )
        ).all()
    assert [r.prompt for r in rows] == [Decimal("0.000003"), Decimal("0.000004")]
    assert rows[0].valid_to is not None and rows[1].valid_to is None


def test_missing_then_deprecated_after_n_successful_misses(database_url: str) -> None:
    store = store_for(database_url, deprecate_after_misses=2)
    store.apply_offers("openrouter", [offer("a/keep"), offer("a/gone")], None)
    first = store.apply_offers("openrouter", [offer("a/keep")], None)
    assert first.missing == ["a/gone"]
    second = store.apply_offers("openrouter", [offer("a/keep")], None)
    assert second.deprecated == ["a/gone"]
    third = store.apply_offers("openrouter", [offer("a/keep")], None)
    assert third.rows_written == 0
    statuses = {r["provider_model_id"]: r["status"] for r in store.offers(("active", "deprecated"))}
    assert statuses == {"a/keep": "active", "a/gone": "deprecated"}


def test_deleting_a_provider_cascades_to_its_models(database_url: str) -> None:
    store = store_for(database_url)
    store.apply_offers("openrouter", [offer("a/m")], None)
    with store.engine().begin() as conn:
        conn.execute(schema.providers.delete().where(schema.providers.c.slug == "openrouter"))
    with store.engine().connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.models)).scalar_one() == 0
