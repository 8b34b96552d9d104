"""The catalog database: the only reader and writer of catalog tables.

Each provider's update of the ``models`` table is one transaction that locks that
provider's row, so readers see a provider's old rows or its new rows, never a mix, and
two syncs of the same provider queue instead of interleaving. Only rows that changed are
written; a sync that changes nothing upstream writes no model rows. Rows are written in
bulk inside that transaction (:mod:`catalog_pipeline.store.bulk_write`: COPY on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import (
    Connection,
    CursorResult,
    Engine,
    Integer,
    String,
    and_,
    case,
    cast,
    delete,
    func,
    insert,
    null,
    select,
    update,
)

from catalog_pipeline.domain.resolution import collector_paused
from catalog_pipeline.domain.rows import (
    CONTENT_HASH_PREFIX,
    OFFER_COLUMNS,
    PRICE_COLUMNS,
    PRICE_FIELDS,
    Offer,
)
from catalog_pipeline.domain.units import decimal_str
from catalog_pipeline.providers.fetch import ProviderFetch
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.settings import database_url
from catalog_pipeline.store import schema
from catalog_pipeline.store.bulk_write import RowWriter, writer_for
from catalog_pipeline.store.engine import engine_for, insert_for, safe_url
from catalog_pipeline.store.migrations import migrate

_MIGRATED: set[str] = set()


@dataclass
class ChangeSummary:
    """What one provider update changed in the models table."""

    added: list[str] = field(default_factory=list)
    repriced: list[tuple[str, dict[str, str | None], dict[str, str | None]]] = field(
        default_factory=list
    )
    updated: list[str] = field(default_factory=list)
    reappeared: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)
    unchanged: int = 0
    rows_written: int = 0
    catalog_version: int = 0

    @property
    def changed(self) -> bool:
        return self.rows_written > 0


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
HISTORY_COLUMNS = ("provider_id", "provider_model_id", *PRICE_FIELDS, "valid_from")

IN_CHUNK = 5_000
"""Ids per ``IN (...)`` list: under SQLite's and PostgreSQL's bound-parameter limits."""
PARTITION_ROWS = 1_000
"""Result rows held at once while reading a provider's rows (see ``_existing_rows``)."""


def _legacy_content_hash(values: Sequence[Any]) -> str:
    """The JSON sha256 that rows written before ``CONTENT_HASH_PREFIX`` existed carry."""

    def encode(value: Any) -> Any:
        if isinstance(value, Decimal):
            return decimal_str(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    payload = json.dumps(
        {k: encode(v) for k, v in zip(OFFER_COLUMNS, values, strict=True)}, sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _hashed_before_upgrade(stored: str, offer: Offer) -> bool:
    """True if ``stored`` is the older format of this offer's hash: same content, so the
    row is unchanged and only its hash is rewritten (once, no version bump, no history)."""
    if stored.startswith(CONTENT_HASH_PREFIX):
        return False
    return stored == _legacy_content_hash(offer.column_values)


def _price_texts(prices: Sequence[Decimal | None]) -> dict[str, str | None]:
    return {name: decimal_str(value) for name, value in zip(PRICE_FIELDS, prices, strict=True)}


def _repricing(
    before: Sequence[Decimal | None], after: Sequence[Decimal | None]
) -> tuple[dict[str, str | None], dict[str, str | None]] | None:
    """The old and new price texts if the prices differ, else None (equal values are
    decided without formatting them, so a change of name alone stays cheap)."""
    if tuple(before) == tuple(after):
        return None
    old, new = _price_texts(before), _price_texts(after)
    return (old, new) if old != new else None


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), IN_CHUNK):
        yield items[start : start + IN_CHUNK]


_Stored = tuple[int, str, str, int, dt.datetime | None]
"""A stored row as the diff needs it: id, content_hash, status, missing_count, last_seen_at."""
_ID, _HASH, _STATUS = 0, 1, 2


@dataclass
class _Plan:
    """What one provider update writes: the offers to insert and those whose price
    interval opens (rows built while they are written), and the updates as tuples in the
    ``*_COLUMNS`` orders, led by the row id."""

    inserts: list[Offer] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    misses: list[tuple[Any, ...]] = field(default_factory=list)
    rehashed: list[tuple[int, str]] = field(default_factory=list)
    opened: list[Offer] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)


class CatalogStore(BaseModel):
    """The catalog database (SQLite by default, PostgreSQL via ``CATALOG_DATABASE_URL``)."""

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; unset means $CATALOG_DATABASE_URL, else embedded SQLite.",
    )
    deprecate_after_misses: int = Field(
        default=3,
        ge=1,
        description="Successful syncs without a model before it is marked deprecated.",
    )
    raw_pages_kept: int = Field(
        default=30,
        ge=1,
        description=(
            "Fetches per provider whose raw pages are kept; older fetches keep their facts "
            "(time, sha256, size, counts) but their pages are deleted."
        ),
    )

    @property
    def url(self) -> str:
        return database_url(self.database_url)

    @property
    def display_url(self) -> str:
        return safe_url(self.url)

    def engine(self) -> Engine:
        url = self.url
        engine = engine_for(url)
        if url not in _MIGRATED:
            migrate(engine)
            _MIGRATED.add(url)
        return engine

    # providers ---------------------------------------------------------------------------

    def register_providers(self, specs: Iterable[ProviderSpec]) -> None:
        """Bring the providers table in line with the registry, writing only what differs.

        Every run calls this, so it must be cheap and safe when runs start together on a
        fresh database: rows that already match are not touched (no row locks taken), and
        the rest go through an upsert on the slug, which concurrent runs cannot collide on.
        """
        table = schema.providers
        columns = ("name", "api_family", "list_url", "price_unit")
        wanted = {
            spec.slug: (spec.name, spec.dialect, spec.list_url, spec.price_unit) for spec in specs
        }
        with self.engine().begin() as conn:
            stored = {
                row.slug: tuple(row[1:])
                for row in conn.execute(
                    select(table.c.slug, *(table.c[c] for c in columns)).where(
                        table.c.slug.in_(list(wanted))
                    )
                )
            }
            for slug, values in wanted.items():
                if stored.get(slug) == values:
                    continue
                row = dict(zip(columns, values, strict=True))
                statement = insert_for(conn)(table).values(slug=slug, **row)
                conn.execute(statement.on_conflict_do_update(index_elements=["slug"], set_=row))

    def ensure_provider(self, spec: ProviderSpec) -> None:
        """One provider's row, as a partition run needs it: a read, and a write only when
        the registry changed (the whole roster is registered once per sync, not per run)."""
        self.register_providers((spec,))

    def _provider_id(self, conn: Connection, slug: str, lock: bool = False) -> int:
        query = select(schema.providers.c.id).where(schema.providers.c.slug == slug)
        if lock and conn.dialect.name == "postgresql":
            query = query.with_for_update()
        provider_id = conn.execute(query).scalar_one_or_none()
        if provider_id is None:
            raise LookupError(f"provider {slug!r} is not registered in {self.display_url}")
        return provider_id

    def provider_states(self) -> list[dict[str, Any]]:
        with self.engine().connect() as conn:
            rows = conn.execute(select(schema.providers).order_by(schema.providers.c.slug))
            return [dict(row._mapping) for row in rows]

    # snapshots ---------------------------------------------------------------------------

    def record_fetch(self, spec: ProviderSpec, fetch: ProviderFetch, run_id: str | None) -> int:
        """Keep the raw pages and the fetch facts; return the snapshot id."""
        with self.engine().begin() as conn:
            provider_id = self._provider_id(conn, spec.slug)
            snapshot_id = conn.execute(
                insert(schema.provider_snapshots)
                .values(
                    provider_id=provider_id,
                    run_id=run_id,
                    fetched_at=fetch.fetched_at,
                    status="fetched",
                    sha256=fetch.sha256,
                    bytes=sum(p.size for p in fetch.pages),
                    model_count=len(fetch.rows),
                    rejected_count=fetch.rejected_count,
                )
                .returning(schema.provider_snapshots.c.id)
            ).scalar_one()
            conn.execute(
                insert(schema.raw_payloads),
                [
                    {
                        "snapshot_id": snapshot_id,
                        "page_index": index,
                        "url": page.url,
                        "http_status": page.status,
                        "sha256": page.sha256,
                        "bytes": page.size,
                        "content_gzip": page.content_gzip,
                    }
                    for index, page in enumerate(fetch.pages)
                ],
            )
            conn.execute(
                update(schema.providers)
                .where(schema.providers.c.id == provider_id)
                .values(last_attempt_at=fetch.fetched_at)
            )
            self._prune_raw_pages(conn, provider_id)
            return snapshot_id

    def _prune_raw_pages(self, conn: Connection, provider_id: int) -> None:
        """Delete the pages of all but the provider's newest ``raw_pages_kept`` fetches.

        A daily sync stores every page again (Featherless alone is ~50 MB a day before
        gzip), and backups copy the table: without a bound both grow forever. Fetches are
        counted among those that still have pages, so a run of failures never removes the
        last good payload; the snapshot rows themselves are kept.
        """
        snapshots, pages = schema.provider_snapshots, schema.raw_payloads
        expired = (
            select(pages.c.snapshot_id)
            .join(snapshots, snapshots.c.id == pages.c.snapshot_id)
            .where(snapshots.c.provider_id == provider_id)
            .group_by(pages.c.snapshot_id)
            .order_by(pages.c.snapshot_id.desc())
            .offset(self.raw_pages_kept)
        )
        stale = conn.execute(expired).scalars().all()
        if stale:
            conn.execute(delete(pages).where(pages.c.snapshot_id.in_(stale)))

    def record_failure(self, slug: str, status: str, error: str, run_id: str | None) -> None:
        """A failed or unconfigured fetch: recorded, and the provider's models stay as they were."""
        now = dt.datetime.now(dt.UTC)
        with self.engine().begin() as conn:
            provider_id = self._provider_id(conn, slug)
            conn.execute(
                insert(schema.provider_snapshots).values(
                    provider_id=provider_id,
                    run_id=run_id,
                    fetched_at=now,
                    status=status,
                    error=error,
                )
            )
            conn.execute(
                update(schema.providers)
                .where(schema.providers.c.id == provider_id)
                .values(last_status=status, last_error=error, last_attempt_at=now)
            )

    def mark_snapshot(self, snapshot_id: int, status: str, error: str | None = None) -> None:
        with self.engine().begin() as conn:
            conn.execute(
                update(schema.provider_snapshots)
                .where(schema.provider_snapshots.c.id == snapshot_id)
                .values(status=status, error=error)
            )

    # models ------------------------------------------------------------------------------

    def current_offers(self, slug: str) -> dict[str, dict[str, Any]]:
        """The provider's rows that are active now, keyed by provider_model_id."""
        models = schema.models
        with self.engine().connect() as conn:
            provider_id = self._provider_id(conn, slug)
            rows = conn.execute(
                select(models).where(
                    and_(models.c.provider_id == provider_id, models.c.status == "active")
                )
            )
            return {row.provider_model_id: dict(row._mapping) for row in rows}

    def apply_offers(
        self, slug: str, offers: Sequence[Offer], snapshot_id: int | None
    ) -> ChangeSummary:
        """Make the provider's rows equal ``offers`` in one transaction, writing only changes."""
        with self.engine().begin() as conn:
            return self.apply_offers_in(conn, slug, offers, snapshot_id)

    def apply_offers_in(
        self, conn: Connection, slug: str, offers: Sequence[Offer], snapshot_id: int | None
    ) -> ChangeSummary:
        """``apply_offers`` inside the caller's transaction (admin jobs batch providers)."""
        now = dt.datetime.now(dt.UTC)
        summary = ChangeSummary()
        provider_id = self._provider_id(conn, slug, lock=True)
        previous_success = conn.execute(
            select(schema.providers.c.last_success_at).where(schema.providers.c.id == provider_id)
        ).scalar_one()
        writer = writer_for(conn)
        stamp = writer.stamp(now)
        plan = self._plan(conn, provider_id, offers, summary, writer.stamp(previous_success), stamp)
        _write(writer, plan, provider_id, now, stamp)
        summary.rows_written = len(plan.inserts) + len(plan.updates) + len(plan.misses)
        summary.catalog_version = (
            self._bump_version(conn) if summary.changed else (self._version(conn))
        )
        conn.execute(
            update(schema.providers)
            .where(schema.providers.c.id == provider_id)
            .values(
                last_status="ok",
                last_error=None,
                last_success_at=now,
                model_count=len(offers),
            )
        )
        if snapshot_id is not None:
            conn.execute(
                update(schema.provider_snapshots)
                .where(schema.provider_snapshots.c.id == snapshot_id)
                .values(status="applied", applied_at=now)
            )
        return summary

    def _plan(
        self,
        conn: Connection,
        provider_id: int,
        offers: Sequence[Offer],
        summary: ChangeSummary,
        previous_success: Any,
        stamp: Any,
    ) -> _Plan:
        """Diff the offers against the stored rows, filling in ``summary``.

        When nothing changed upstream (the usual sync) the offered digests equal the stored
        ones: one dict comparison, and only the rows already missing are read in full.
        """
        plan = _Plan()
        offered = {offer.provider_model_id: offer.content_hash for offer in offers}
        if len(offered) == len(offers) and offered == _active_hashes(conn, provider_id):
            summary.unchanged = len(offers)
            existing = _existing_rows(conn, provider_id, status="missing")
        else:
            existing = _existing_rows(conn, provider_id)
            changed = _plan_offers(plan, summary, offers, existing)
            old_prices = _old_prices(conn, provider_id, changed)
            _plan_changes(plan, summary, provider_id, changed, old_prices, stamp)
        self._plan_misses(plan, summary, offered, existing, previous_success, stamp)
        return plan

    def _plan_misses(
        self,
        plan: _Plan,
        summary: ChangeSummary,
        offered: dict[str, str],
        existing: dict[str, _Stored],
        previous_success: Any,
        stamp: Any,
    ) -> None:
        """Rows the provider no longer lists: missing, then deprecated after N misses."""
        for model_id, stored in existing.items():
            if model_id in offered:
                continue
            row_id, _, old_status, missing_count, last_seen_at = stored
            if old_status == "deprecated":
                continue
            count = missing_count + 1
            status = "deprecated" if count >= self.deprecate_after_misses else "missing"
            last_seen = previous_success if old_status == "active" else last_seen_at
            plan.misses.append((row_id, status, count, stamp, last_seen))
            (summary.deprecated if status == "deprecated" else summary.missing).append(model_id)

    # catalog -----------------------------------------------------------------------------

    def _version(self, conn: Connection) -> int:
        value = conn.execute(
            select(schema.catalog_meta.c.value).where(
                schema.catalog_meta.c.key == "catalog_version"
            )
        ).scalar_one()
        return int(value)

    def _bump_version(self, conn: Connection) -> int:
        """Increment the catalog version in one UPDATE, so concurrent commits each count.

        A read-then-write would lose a bump when two providers commit at once; the UPDATE
        takes the row lock and re-reads the committed value under READ COMMITTED.
        """
        meta = schema.catalog_meta
        conn.execute(
            update(meta)
            .where(meta.c.key == "catalog_version")
            .values(value=cast(cast(meta.c.value, Integer) + 1, String))
        )
        return self._version(conn)

    def catalog_version(self) -> int:
        with self.engine().connect() as conn:
            return self._version(conn)

    def model_count(self, slug: str | None = None) -> int:
        models = schema.models
        query = select(func.count()).select_from(models)
        if slug is not None:
            query = query.join(schema.providers).where(schema.providers.c.slug == slug)
        with self.engine().connect() as conn:
            return int(conn.execute(query).scalar_one())

    def offers(self, statuses: tuple[str, ...] = ("active",)) -> list[dict[str, Any]]:
        """Every offer with its provider slug, read in one consistent transaction.

        ``last_seen_at`` of an active offer is its provider's last successful sync (the
        column itself changes only on status transitions, so unchanged rows are never
        rewritten just to move a timestamp). Rows are zipped with the column names once
        (``RowMapping`` per row costs more than the query) and read with the collector
        paused (see :func:`~catalog_pipeline.domain.resolution.collector_paused`).
        """
        models = schema.models
        seen = case(
            (models.c.status == "active", schema.providers.c.last_success_at),
            else_=models.c.last_seen_at,
        )
        columns = [c for c in models.columns if c.name != "last_seen_at"]
        query = (
            select(*columns, seen.label("last_seen_at"), schema.providers.c.slug.label("provider"))
            .join(schema.providers)
            .where(models.c.status.in_(statuses))
            .order_by(schema.providers.c.slug, models.c.provider_model_id)
        )
        with collector_paused(), self.engine().connect() as conn:
            result = conn.execute(query)
            keys = tuple(result.keys())
            return [dict(zip(keys, row, strict=True)) for row in result]


def _active_hashes(conn: Connection, provider_id: int) -> dict[str, str]:
    """provider_model_id -> content_hash of the provider's active rows."""
    models = schema.models
    result = conn.execute(
        select(models.c.provider_model_id, models.c.content_hash).where(
            and_(models.c.provider_id == provider_id, models.c.status == "active")
        )
    )
    hashes: dict[str, str] = {}
    for rows in result.partitions(PARTITION_ROWS):
        hashes.update(rows)
    return hashes


def _existing_rows(
    conn: Connection, provider_id: int, status: str | None = None
) -> dict[str, _Stored]:
    """The provider's rows (with ``status``, if given) by provider_model_id.

    Read as plain tuples, in partitions: a sync's heap is large (100,000 offers), and
    holding 100,000 result Rows at once gets them promoted to the oldest GC generation and
    sets off full collections of that heap (most of a second each), where plain tuples of
    plain values are simply untracked. ``last_seen_at`` is only read for rows already
    missing: an active row that goes missing takes the previous sync's time.
    """
    models = schema.models
    query = select(
        models.c.provider_model_id,
        models.c.id,
        models.c.content_hash,
        models.c.status,
        models.c.missing_count,
        case((models.c.status == "active", null()), else_=models.c.last_seen_at),
    ).where(models.c.provider_id == provider_id)
    if status is not None:
        query = query.where(models.c.status == status)
    return _by_first_column(conn.execute(query))


def _plan_offers(
    plan: _Plan, summary: ChangeSummary, offers: Sequence[Offer], existing: dict[str, _Stored]
) -> list[tuple[Offer, _Stored]]:
    """Plan the inserts; count the unchanged; return the existing rows that differ.

    An unchanged offer costs a dict lookup and a comparison of digests.
    """
    changed: list[tuple[Offer, _Stored]] = []
    unchanged = 0
    for offer in offers:
        model_id = offer.provider_model_id
        old = existing.get(model_id)
        if old is None:
            plan.inserts.append(offer)
            plan.opened.append(offer)
            summary.added.append(model_id)
        elif old[_STATUS] == "active" and old[_HASH] == offer.content_hash:
            unchanged += 1
        elif old[_STATUS] == "active" and _hashed_before_upgrade(old[_HASH], offer):
            unchanged += 1
            plan.rehashed.append((old[_ID], offer.content_hash))
        else:
            changed.append((offer, old))
    summary.unchanged += unchanged
    return changed


def _old_prices(
    conn: Connection, provider_id: int, changed: Sequence[tuple[Offer, _Stored]]
) -> dict[int, tuple[Any, ...]]:
    """The stored prices of the rows that differ, to tell a repricing from other changes.

    Past ``IN_CHUNK`` rows, one read of the whole provider beats many ``IN`` lists.
    """
    ids = [old[_ID] for _, old in changed]
    if not ids:
        return {}
    models = schema.models
    which = models.c.id.in_(ids) if len(ids) <= IN_CHUNK else models.c.provider_id == provider_id
    return _by_first_column(
        conn.execute(select(models.c.id, *(models.c[name] for name in PRICE_FIELDS)).where(which))
    )


def _by_first_column(result: CursorResult[Any]) -> dict[Any, tuple[Any, ...]]:
    """Rows keyed by their first value, the rest as a plain tuple, read in partitions
    (see ``_existing_rows`` for why)."""
    keyed: dict[Any, tuple[Any, ...]] = {}
    for rows in result.partitions(PARTITION_ROWS):
        keyed.update((row[0], row[1:]) for row in rows)
    return keyed


def _plan_changes(
    plan: _Plan,
    summary: ChangeSummary,
    provider_id: int,
    changed: Sequence[tuple[Offer, _Stored]],
    old_prices: dict[int, tuple[Any, ...]],
    stamp: Any,
) -> None:
    """Rewrite each differing row; a new price also closes and opens a history interval."""
    for offer, old in changed:
        model_id, values = offer.provider_model_id, offer.column_values
        plan.updates.append((old[_ID], *values, "active", 0, offer.content_hash, stamp, stamp))
        repricing = _repricing(old_prices[old[_ID]], values[PRICE_COLUMNS])
        if repricing is not None:
            summary.repriced.append((model_id, *repricing))
            plan.closed.append(model_id)
            plan.opened.append(offer)
        elif old[_STATUS] != "active":
            summary.reappeared.append(model_id)
        else:
            summary.updated.append(model_id)


def _write(writer: RowWriter, plan: _Plan, provider_id: int, now: dt.datetime, stamp: Any) -> None:
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
    writer.update(models, ("content_hash",), plan.rehashed)
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
