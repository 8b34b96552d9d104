"""The COPY write path (PostgreSQL) against the executemany path, and the content hash.

Both paths apply the same awkward offers under a frozen clock; every stored value must be
the same, down to the text of each NUMERIC, and the change summaries must agree.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Connection, select, text

from catalog_pipeline.domain.rows import (
    OFFER_COLUMNS,
    PRICE_FIELDS,
    ModelType,
    Offer,
    Prices,
)
from catalog_pipeline.domain.units import decimal_str
from catalog_pipeline.pipeline.registration import provider_rows
from catalog_pipeline.providers.registry import PROVIDERS, get_provider
from catalog_pipeline.store import apply, schema
from catalog_pipeline.store.bulk_write import COPY_UPDATE_MIN_ROWS, CopyWriter, RowWriter
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.diff import ChangeSummary

COPY_PROVIDER, EXECUTEMANY_PROVIDER = "groq", "together"
START = dt.datetime(2025, 3, 4, 5, 6, 7, 891011, tzinfo=dt.UTC)
TINY = Decimal("0.000000000012345678901234567890")
AWKWARD_NAMES = (
    "tab\there",
    "new\nline and carriage\rreturn",
    "back\\slash \\N \\. and \\t",
    "quotes \" ' `",
    "unicode ünïcødé 模型 🚀",
    "",
)


def awkward(model_id: str, index: int, generation: int = 0, **extra: Any) -> Offer:
    step = Decimal(generation)
    values: dict[str, Any] = dict(
        provider="any",
        provider_model_id=model_id,
        canonical_id=f"org/{model_id.lower()}",
        publisher="Org, Inc.\t",
        display_name=AWKWARD_NAMES[index % len(AWKWARD_NAMES)] + f"{generation or ''}",
        model_type=ModelType.CHAT if index % 2 else ModelType.EMBEDDING,
        input_modalities=("text", "image") if index % 2 else ("text",),
        capabilities=("tools", "json") if index % 3 == 0 else (),
        context_length=None if index % 2 else 131_072,
        max_output_tokens=None if index % 3 else 8192,
        prices=Prices(
            prompt=TINY + step if index % 4 == 0 else None,
            completion=Decimal("0.50") + step,
            cache_read=Decimal(0),
            per_image=Decimal("1E+2"),
            per_second=Decimal("123456789.123456789") if index % 2 else None,
        ),
        price_source="curated:https://example.invalid/a\\b?c=d (checked 2025-01-01)",
        deprecation_date=dt.date(2026, 1, 31) if index % 5 == 0 else None,
    )
    values.update(extra)
    return Offer(**values)


def generation(number: int, count: int = 12) -> list[Offer]:
    """0: the first list. 1: repriced, renamed, dropped and new offers. 2: the dropped return."""
    ids = [f"m-{i:02d}/ünï\\x" for i in range(count)]
    if number == 0:
        return [awkward(model_id, i) for i, model_id in enumerate(ids)]
    if number == 1:
        kept = [
            awkward(model_id, i, generation=1 if i % 3 == 0 else 0)
            if i % 3 != 1
            else awkward(model_id, i, display_name=f"renamed\t{i}")
            for i, model_id in enumerate(ids[2:], start=2)
        ]
        return [*kept, awkward("brand/new", 3), awkward("brand/newer", 4)]
    return [awkward(model_id, i) for i, model_id in enumerate(ids)]


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    """The store's ``now``, set by the test, so both paths write the same timestamps."""
    moment = {"now": START}

    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> dt.datetime:  # type: ignore[override]
            return moment["now"]

    monkeypatch.setattr(
        apply, "dt", types.SimpleNamespace(datetime=Frozen, date=dt.date, UTC=dt.UTC)
    )
    return lambda value: moment.update(now=value)


def store_for(url: str) -> CatalogStore:
    store = CatalogStore(database_url=url, deprecate_after_misses=2)
    store.register_providers(provider_rows(PROVIDERS))
    return store


def apply_with(
    monkeypatch: pytest.MonkeyPatch,
    store: CatalogStore,
    writer: Callable[[Connection], RowWriter] | None,
    slug: str,
    offers: list[Offer],
) -> ChangeSummary:
    """Apply through the given writer (None: the store's own choice for the dialect)."""
    with monkeypatch.context() as patch:
        if writer is not None:
            patch.setattr(apply, "writer_for", writer)
        renamed = [offer.model_copy(update={"provider": slug}) for offer in offers]
        return store.apply_offers(slug, renamed, None)


def model_rows(store: CatalogStore, slug: str) -> dict[str, dict[str, Any]]:
    rows = store.offers(("active", "missing", "deprecated"))
    return {
        row["provider_model_id"]: {k: v for k, v in row.items() if k not in ("id", "provider_id")}
        | {"provider": None}
        for row in rows
        if row["provider"] == slug
    }


def history_rows(store: CatalogStore, slug: str) -> list[tuple[Any, ...]]:
    history = schema.price_history
    with store.engine().connect() as conn:
        rows = conn.execute(
            select(
                history.c.provider_model_id,
                *(history.c[name] for name in PRICE_FIELDS),
                history.c.valid_from,
                history.c.valid_to,
            )
            .join(schema.providers)
            .where(schema.providers.c.slug == slug)
            .order_by(history.c.provider_model_id, history.c.valid_from)
        )
        return [tuple(row) for row in rows]


def stored_text(store: CatalogStore, slug: str) -> list[tuple[Any, ...]]:
    """Every models and history value as PostgreSQL prints it (NUMERIC scale included)."""
    columns = ", ".join(f"m.{name}::text" for name in (*OFFER_COLUMNS, "status"))
    prices = ", ".join(f"h.{name}::text" for name in PRICE_FIELDS)
    with store.engine().connect() as conn:
        models = conn.execute(
            text(
                f"SELECT m.provider_model_id, {columns}, m.content_hash, m.first_seen_at::text, "
                "m.changed_at::text, m.last_seen_at::text FROM models m JOIN providers p "
                "ON p.id = m.provider_id WHERE p.slug = :slug ORDER BY 1"
            ),
            {"slug": slug},
        ).all()
        history = conn.execute(
            text(
                f"SELECT h.provider_model_id, {prices}, h.valid_from::text, h.valid_to::text "
                "FROM price_history h JOIN providers p ON p.id = h.provider_id "
                "WHERE p.slug = :slug ORDER BY 1, h.valid_from"
            ),
            {"slug": slug},
        ).all()
    return [tuple(row) for row in (*models, *history)]


def assert_same_outcome(
    store: CatalogStore, copied: ChangeSummary, plain: ChangeSummary, postgres: bool
) -> None:
    assert (copied.added, copied.repriced, copied.updated) == (
        plain.added,
        plain.repriced,
        plain.updated,
    )
    assert (copied.reappeared, copied.missing, copied.deprecated) == (
        plain.reappeared,
        plain.missing,
        plain.deprecated,
    )
    assert (copied.unchanged, copied.rows_written) == (plain.unchanged, plain.rows_written)
    assert model_rows(store, COPY_PROVIDER) == model_rows(store, EXECUTEMANY_PROVIDER)
    assert history_rows(store, COPY_PROVIDER) == history_rows(store, EXECUTEMANY_PROVIDER)
    if postgres:
        assert stored_text(store, COPY_PROVIDER) == stored_text(store, EXECUTEMANY_PROVIDER)


def assert_rows_hold(store: CatalogStore, slug: str, offers: list[Offer], postgres: bool) -> None:
    """The rows read back hold exactly the offers' values (prices as exact Decimals)."""
    rows = model_rows(store, slug)
    for offer in offers:
        row = rows[offer.provider_model_id]
        expected = dict(zip(OFFER_COLUMNS, offer.column_values, strict=True))
        for name in PRICE_FIELDS:
            assert (row[name] is None) == (expected[name] is None), name
            assert decimal_str(row[name]) == decimal_str(expected[name]), name
            assert row[name] is None or isinstance(row[name], Decimal)
        assert {k: v for k, v in row.items() if k not in PRICE_FIELDS and k in expected} == {
            k: v for k, v in expected.items() if k not in PRICE_FIELDS
        }
        assert row["content_hash"] == offer.content_hash
        assert row["first_seen_at"].tzinfo is not None or not postgres


@pytest.mark.parametrize("update_min_rows", [0, 10_000])
def test_copy_and_executemany_write_identical_rows(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    frozen_clock: Callable[[dt.datetime], None],
    update_min_rows: int,
) -> None:
    """Three generations through each path; updates via the temp table (0) or executemany."""
    store = store_for(database_url)
    postgres = database_url.startswith("postgresql")

    def bulk(conn: Connection) -> RowWriter:
        if conn.dialect.name == "postgresql":
            return CopyWriter(conn, update_min_rows=update_min_rows)
        return RowWriter(conn)

    for number in range(3):
        frozen_clock(START + dt.timedelta(hours=number, microseconds=number))
        offers = generation(number)
        copied = apply_with(monkeypatch, store, bulk, COPY_PROVIDER, offers)
        plain = apply_with(monkeypatch, store, RowWriter, EXECUTEMANY_PROVIDER, offers)
        assert_same_outcome(store, copied, plain, postgres)
        assert_rows_hold(store, COPY_PROVIDER, offers, postgres)
    assert copied.reappeared == ["m-00/ünï\\x", "m-01/ünï\\x"]
    assert len(history_rows(store, COPY_PROVIDER)) == 12 + (3 + 2) + 3


def test_store_picks_copy_on_postgresql_and_executemany_on_sqlite(database_url: str) -> None:
    store = store_for(database_url)
    with store.engine().connect() as conn:
        writer = apply.writer_for(conn)
    expected = CopyWriter if database_url.startswith("postgresql") else RowWriter
    assert type(writer) is expected


def test_batched_providers_roll_back_as_a_whole(postgres_url: str) -> None:
    """An admin job applies providers in one transaction; COPY and temp tables roll back too."""
    store = store_for(postgres_url)
    store.apply_offers(COPY_PROVIDER, generation(0), None)
    before = model_rows(store, COPY_PROVIDER), history_rows(store, COPY_PROVIDER)
    with store.engine().connect() as conn:
        transaction = conn.begin()
        steps = [
            (COPY_PROVIDER, generation(1)),
            (EXECUTEMANY_PROVIDER, generation(0, count=600)),
            (EXECUTEMANY_PROVIDER, generation(1, count=600)),
            ("openrouter", generation(1, count=600)),
            ("openrouter", generation(2, count=600)),
        ]
        for slug, offers in steps:
            summary = store.apply_offers_in(conn, slug, offers, None)
            assert summary.rows_written > 0
        assert len(summary.repriced) + len(summary.updated) >= COPY_UPDATE_MIN_ROWS
        transaction.rollback()
    assert (model_rows(store, COPY_PROVIDER), history_rows(store, COPY_PROVIDER)) == before
    assert store.model_count(EXECUTEMANY_PROVIDER) == store.model_count("openrouter") == 0


def test_content_hash_is_exact_about_values() -> None:
    base = awkward("a/b", 0)
    digest = base.content_hash
    assert len(digest) <= schema.models.c.content_hash.type.length
    same_prices = base.prices.model_copy(update={"completion": Decimal("0.5000")})
    assert base.model_copy(update={"prices": same_prices}).content_hash == digest
    assert base.model_copy(update={"provider": "elsewhere", "name": "raw"}).content_hash == digest
    changes: list[dict[str, Any]] = [
        {"display_name": base.display_name + " "},
        {"capabilities": ("tools",)},
        {"context_length": 131_073},
        {"deprecation_date": None},
        {"prices": base.prices.model_copy(update={"per_request": Decimal(0)})},
        {"prices": base.prices.model_copy(update={"prompt": TINY + Decimal("1E-30")})},
    ]
    for change in changes:
        assert base.model_copy(update=change).content_hash != digest, change
    left = base.model_copy(update={"canonical_id": "x\x1f", "publisher": "y"})
    right = base.model_copy(update={"canonical_id": "x", "publisher": "\x1fy"})
    assert left.content_hash != right.content_hash


def test_normalization_computes_values_and_hash_once_and_copies_never_carry_them_stale() -> None:
    from catalog_pipeline.domain.rows import ProviderModel
    from catalog_pipeline.pipeline.normalize import normalize_rows

    (offer,) = normalize_rows(get_provider("openrouter"), [ProviderModel(provider_model_id="a/b")])
    assert {"column_values", "content_hash"} <= offer.__dict__.keys()
    renamed = offer.model_copy(update={"display_name": "Other"})
    assert not {"column_values", "content_hash"} & renamed.__dict__.keys()
    assert renamed.column_values[2] == "Other"
    assert renamed.content_hash != offer.content_hash
    assert offer.model_copy().content_hash == offer.content_hash
    assert renamed == renamed.model_copy() and offer == Offer(**offer.model_dump())
