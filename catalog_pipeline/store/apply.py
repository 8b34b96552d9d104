"""Applying one provider's offers: the models table, its price history and versions.

Each provider's update is one transaction that locks that provider's row, so readers see
a provider's old rows or its new rows, never a mix, and two syncs of the same provider
queue instead of interleaving. Only rows that changed are written; a sync that changes
nothing upstream writes no model rows. Rows are written in bulk inside that transaction
(:mod:`catalog_pipeline.store.bulk_write`: COPY on PostgreSQL).

The diff needs the provider's stored rows. A sync has already read them for its checks
(:class:`~catalog_pipeline.store.records.StoredOffers`); under the lock the provider's
``rows_version`` says whether they are still current, and only if not are they read again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, Row, and_, select, update

from catalog_pipeline.domain.rows import (
    OFFER_COLUMNS,
    PRICE_COLUMN_NAMES,
    PRICE_COLUMNS,
    Offer,
)
from catalog_pipeline.store import catalog_version, schema
from catalog_pipeline.store.bulk_write import RowWriter, writer_for
from catalog_pipeline.store.diff import ChangeSummary, Plan, plan_changes, plan_misses, plan_offers
from catalog_pipeline.store.records import (
    STORED_ID,
    STORED_PRICES,
    STORED_STATUS,
    StoredOffers,
    StoredRow,
)
from catalog_pipeline.store.stored_rows import by_first_column, read_active_hashes, read_stored_rows

MODEL_INSERT_COLUMNS = (
    "provider_id",
    "provider_model_id",
    *OFFER_COLUMNS,
    "status",
    "missing_count",
    "content_hash",
    "first_seen_at",
    "changed_at",
    "last_seen_at",
)
MODEL_UPDATE_COLUMNS = (
    *OFFER_COLUMNS,
    "status",
    "missing_count",
    "content_hash",
    "changed_at",
    "last_seen_at",
)
MISS_COLUMNS = ("status", "missing_count", "changed_at", "last_seen_at")
HISTORY_COLUMNS = ("provider_id", "provider_model_id", *PRICE_COLUMN_NAMES, "valid_from")

IN_CHUNK = 5_000
"""Ids per ``IN (...)`` list: under SQLite's and PostgreSQL's bound-parameter limits."""


def apply_offers_in(
    conn: Connection,
    slug: str,
    offers: Sequence[Offer],
    snapshot_id: int | None,
    deprecate_after_misses: int,
    stored: StoredOffers | None,
    where: str,
) -> ChangeSummary:
    """Make the provider's rows equal ``offers`` inside the caller's transaction, writing
    only changes; ``stored`` is what the sync read before its checks, if anything."""
    now = dt.datetime.now(dt.UTC)
    summary = ChangeSummary()
    provider = _locked_provider(conn, slug, where)
    writer = writer_for(conn)
    stamp = writer.stamp(now)
    plan = Plan()
    offered: Container[str]
    if stored is not None and stored.version is not None and stored.version == provider.version:
        existing = stored.rows
        offered = _plan_against(plan, summary, offers, existing, stamp)
    else:
        offered, existing = _plan_from_reads(conn, provider.id, plan, summary, offers, stamp)
    previous_success = writer.stamp(provider.last_success_at)
    plan_misses(plan, summary, offered, existing, deprecate_after_misses, previous_success, stamp)
    _write(writer, plan, provider.id, now, stamp)
    summary.rows_written = plan.rows
    if snapshot_id is not None:
        conn.execute(
            update(schema.provider_snapshots)
            .where(schema.provider_snapshots.c.id == snapshot_id)
            .values(status="applied", applied_at=now)
        )
    # The catalog version's row lock is shared by every provider: it is taken last, so a
    # sync holds it for one more UPDATE of its own provider row and the commit, never for
    # its writes (catalog_version module docstring).
    if summary.changed:
        summary.catalog_version = catalog_version.bump(conn)
    else:
        summary.catalog_version = catalog_version.read(conn)
    changed = {"rows_version": summary.catalog_version} if summary.changed else {}
    conn.execute(
        update(schema.providers)
        .where(schema.providers.c.id == provider.id)
        .values(
            last_status="ok",
            last_error=None,
            last_success_at=now,
            model_count=len(offers),
            **changed,
        )
    )
    return summary


def reprice_offers_in(
    conn: Connection, slug: str, offers: Sequence[Offer], where: str
) -> ChangeSummary:
    """Write ``offers`` (some of the provider's active rows, with new prices or evidence)
    under the provider's lock: changed rows and their price history only. Nothing counts
    as missing, and the provider's last sync stays what it was."""
    summary = ChangeSummary()
    provider = _locked_provider(conn, slug, where)
    writer = writer_for(conn)
    stamp = writer.stamp(dt.datetime.now(dt.UTC))
    plan = Plan()
    existing = read_stored_rows(conn, provider.id, prices=True)
    current = [
        offer
        for offer in offers
        if (old := existing.get(offer.provider_model_id)) is not None
        and old[STORED_STATUS] == "active"
    ]
    _plan_against(plan, summary, current, existing, stamp)
    _write(writer, plan, provider.id, dt.datetime.now(dt.UTC), stamp)
    summary.rows_written = plan.rows
    if summary.changed:
        summary.catalog_version = catalog_version.bump(conn)
        conn.execute(
            update(schema.providers)
            .where(schema.providers.c.id == provider.id)
            .values(rows_version=summary.catalog_version)
        )
    else:
        summary.catalog_version = catalog_version.read(conn)
    return summary


def _locked_provider(conn: Connection, slug: str, where: str) -> Row[Any]:
    """The provider's id, last success and rows version, with its row locked (PostgreSQL;
    SQLite transactions hold the database's write lock from their start)."""
    providers = schema.providers
    query = select(
        providers.c.id, providers.c.last_success_at, providers.c.rows_version.label("version")
    ).where(providers.c.slug == slug)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    provider = conn.execute(query).one_or_none()
    if provider is None:
        raise LookupError(f"provider {slug!r} is not registered in {where}")
    return provider


def _plan_against(
    plan: Plan,
    summary: ChangeSummary,
    offers: Sequence[Offer],
    existing: dict[str, StoredRow],
    stamp: Any,
) -> set[str]:
    """Plan against rows the sync carried (prices included); return the offered ids."""
    changed = plan_offers(plan, summary, offers, existing)
    old_prices = {old[STORED_ID]: old[STORED_PRICES] for _, old in changed}
    plan_changes(plan, summary, changed, old_prices, stamp)
    return {offer.provider_model_id for offer in offers}


def _plan_from_reads(
    conn: Connection,
    provider_id: int,
    plan: Plan,
    summary: ChangeSummary,
    offers: Sequence[Offer],
    stamp: Any,
) -> tuple[dict[str, str], dict[str, StoredRow]]:
    """Read what the diff needs under the lock and plan; return offered ids and stored rows.

    When nothing changed upstream (the usual sync) the offered digests equal the stored
    ones: one dict comparison, and only the rows already missing are read in full.
    """
    offered = {offer.provider_model_id: offer.content_hash for offer in offers}
    if len(offered) == len(offers) and offered == read_active_hashes(conn, provider_id):
        summary.unchanged = len(offers)
        return offered, read_stored_rows(conn, provider_id, status="missing")
    existing = read_stored_rows(conn, provider_id)
    changed = plan_offers(plan, summary, offers, existing)
    plan_changes(plan, summary, changed, _old_prices(conn, provider_id, changed), stamp)
    return offered, existing


def _old_prices(
    conn: Connection, provider_id: int, changed: Sequence[tuple[Offer, StoredRow]]
) -> dict[int, tuple[Any, ...]]:
    """The stored prices of the rows that differ, to tell a repricing from other changes.

    Past ``IN_CHUNK`` rows, one read of the whole provider beats many ``IN`` lists.
    """
    ids = [old[STORED_ID] for _, old in changed]
    if not ids:
        return {}
    models = schema.models
    which = models.c.id.in_(ids) if len(ids) <= IN_CHUNK else models.c.provider_id == provider_id
    return by_first_column(
        conn.execute(
            select(models.c.id, *(models.c[name] for name in PRICE_COLUMN_NAMES)).where(which)
        )
    )


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), IN_CHUNK):
        yield items[start : start + IN_CHUNK]


def _write(writer: RowWriter, plan: Plan, provider_id: int, now: dt.datetime, stamp: Any) -> None:
    """Write the plan in the caller's transaction, through the dialect's bulk path.

    New rows go in provider_model_id order: the B-tree inserts of both tables then land on
    the page the previous row went to instead of descending the tree at random, which
    roughly halves the database's work on a large first sync. They are built as they are
    written, so building them overlaps with the database's work.
    """
    models, history = schema.models, schema.price_history
    by_model_id = attrgetter("provider_model_id")
    if plan.inserts:
        plan.inserts.sort(key=by_model_id)
        writer.insert(
            models, MODEL_INSERT_COLUMNS, new_model_rows(plan.inserts, provider_id, stamp)
        )
    writer.update(models, MODEL_UPDATE_COLUMNS, plan.updates)
    writer.update(models, MISS_COLUMNS, plan.misses)
    for model_ids in _chunks(plan.closed):
        writer.conn.execute(
            update(history)
            .where(
                and_(
                    history.c.provider_id == provider_id,
                    history.c.provider_model_id.in_(model_ids),
                    history.c.valid_to.is_(None),
                )
            )
            .values(valid_to=now)
        )
    if plan.opened:
        plan.opened.sort(key=by_model_id)
        writer.insert(history, HISTORY_COLUMNS, _history_rows(plan.opened, provider_id, stamp))


def new_model_rows(
    offers: Iterable[Offer], provider_id: int, stamp: Any
) -> Iterator[tuple[Any, ...]]:
    """New models rows in ``MODEL_INSERT_COLUMNS`` order."""
    for offer in offers:
        yield (
            provider_id,
            offer.provider_model_id,
            *offer.column_values,
            "active",
            0,
            offer.content_hash,
            stamp,
            stamp,
            stamp,
        )


def _history_rows(
    offers: Iterable[Offer], provider_id: int, stamp: Any
) -> Iterator[tuple[Any, ...]]:
    """Open price intervals in ``HISTORY_COLUMNS`` order."""
    for offer in offers:
        yield (provider_id, offer.provider_model_id, *offer.column_values[PRICE_COLUMNS], stamp)
