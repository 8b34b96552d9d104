"""The catalog database as a Dagster resource: the only reader and writer of catalog tables.

Each provider's update of the ``models`` table is one transaction that locks that
provider's row, so readers see a provider's old rows or its new rows, never a mix, and
two syncs of the same provider queue instead of interleaving. Only rows that changed are
written; a sync that changes nothing upstream writes no model rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import dagster as dg
from pydantic import Field
from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    insert,
    select,
    update,
)

from catalog_pipeline.catalog.rows import PRICE_FIELDS, Offer
from catalog_pipeline.catalog.units import decimal_str
from catalog_pipeline.providers.fetch import ProviderFetch
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.settings import database_url
from catalog_pipeline.store import schema
from catalog_pipeline.store.engine import engine_for, safe_url
from catalog_pipeline.store.migrations import migrate

_MIGRATED: set[str] = set()

OFFER_COLUMNS = (
    "canonical_id",
    "publisher",
    "display_name",
    "model_type",
    "input_modalities",
    "output_modalities",
    "capabilities",
    "context_length",
    "max_output_tokens",
    *PRICE_FIELDS,
    "price_source",
    "deprecation_date",
)


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


def offer_row(offer: Offer) -> dict[str, Any]:
    """The models-table values of an offer (identity and timestamps excluded)."""
    values = offer.prices.as_dict()
    values.update(
        canonical_id=offer.canonical_id,
        publisher=offer.publisher,
        display_name=offer.display_name,
        model_type=str(offer.model_type),
        input_modalities=",".join(offer.input_modalities),
        output_modalities=",".join(offer.output_modalities),
        capabilities=",".join(offer.capabilities),
        context_length=offer.context_length,
        max_output_tokens=offer.max_output_tokens,
        price_source=offer.price_source,
        deprecation_date=offer.deprecation_date,
    )
    return values


def content_hash(values: dict[str, Any]) -> str:
    def encode(value: Any) -> Any:
        if isinstance(value, Decimal):
            return decimal_str(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    payload = json.dumps({k: encode(values[k]) for k in OFFER_COLUMNS}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _prices_of(values: Any) -> dict[str, str | None]:
    return {name: decimal_str(_get(values, name)) for name in PRICE_FIELDS}


def _get(values: Any, name: str) -> Any:
    return values[name] if isinstance(values, dict) else getattr(values, name)


class CatalogStore(dg.ConfigurableResource):
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
        """Insert or refresh the providers table from the registry."""
        with self.engine().begin() as conn:
            rows = conn.execute(select(schema.providers.c.slug, schema.providers.c.id))
            known = {slug: provider_id for slug, provider_id in rows}
            for spec in specs:
                values = {
                    "name": spec.name,
                    "api_family": spec.family,
                    "list_url": spec.list_url,
                    "price_unit": spec.price_unit,
                }
                if spec.slug in known:
                    conn.execute(
                        update(schema.providers)
                        .where(schema.providers.c.id == known[spec.slug])
                        .values(**values)
                    )
                else:
                    conn.execute(insert(schema.providers).values(slug=spec.slug, **values))

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
            return snapshot_id

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
        models = schema.models
        history = schema.price_history
        now = dt.datetime.now(dt.UTC)
        summary = ChangeSummary()
        provider_id = self._provider_id(conn, slug, lock=True)
        previous_success = conn.execute(
            select(schema.providers.c.last_success_at).where(schema.providers.c.id == provider_id)
        ).scalar_one()
        existing = {
            row.provider_model_id: row
            for row in conn.execute(
                select(
                    models.c.id,
                    models.c.provider_model_id,
                    models.c.content_hash,
                    models.c.status,
                    models.c.missing_count,
                    models.c.last_seen_at,
                    *(models.c[name] for name in PRICE_FIELDS),
                ).where(models.c.provider_id == provider_id)
            )
        }
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        opened: list[dict[str, Any]] = []
        closed: list[str] = []
        for offer in offers:
            values = offer_row(offer)
            digest = content_hash(values)
            old = existing.get(offer.provider_model_id)
            if old is None:
                inserts.append(
                    {
                        **values,
                        "provider_id": provider_id,
                        "provider_model_id": offer.provider_model_id,
                        "status": "active",
                        "missing_count": 0,
                        "content_hash": digest,
                        "first_seen_at": now,
                        "changed_at": now,
                        "last_seen_at": now,
                    }
                )
                opened.append(offer.provider_model_id)
                summary.added.append(offer.provider_model_id)
                continue
            if old.content_hash == digest and old.status == "active":
                summary.unchanged += 1
                continue
            updates.append(
                {
                    **values,
                    "_id": old.id,
                    "status": "active",
                    "missing_count": 0,
                    "content_hash": digest,
                    "changed_at": now,
                    "last_seen_at": now,
                }
            )
            old_prices, new_prices = _prices_of(old), _prices_of(values)
            if old_prices != new_prices:
                summary.repriced.append((offer.provider_model_id, old_prices, new_prices))
                closed.append(offer.provider_model_id)
                opened.append(offer.provider_model_id)
            elif old.status != "active":
                summary.reappeared.append(offer.provider_model_id)
            else:
                summary.updated.append(offer.provider_model_id)
        seen = {offer.provider_model_id for offer in offers}
        misses: list[dict[str, Any]] = []
        for model_id, old in existing.items():
            if model_id in seen or old.status == "deprecated":
                continue
            count = old.missing_count + 1
            status = "deprecated" if count >= self.deprecate_after_misses else "missing"
            last_seen = previous_success if old.status == "active" else old.last_seen_at
            misses.append(
                {
                    "_id": old.id,
                    "status": status,
                    "missing_count": count,
                    "changed_at": now,
                    "last_seen_at": last_seen,
                }
            )
            (summary.deprecated if status == "deprecated" else summary.missing).append(model_id)
        if inserts:
            conn.execute(insert(models), inserts)
        if updates:
            columns = {name: bindparam(name) for name in updates[0] if name != "_id"}
            conn.execute(
                update(models).where(models.c.id == bindparam("_id")).values(**columns),
                updates,
            )
        if misses:
            conn.execute(
                update(models)
                .where(models.c.id == bindparam("_id"))
                .values(
                    status=bindparam("status"),
                    missing_count=bindparam("missing_count"),
                    changed_at=bindparam("changed_at"),
                    last_seen_at=bindparam("last_seen_at"),
                ),
                misses,
            )
        if closed:
            conn.execute(
                update(history)
                .where(
                    and_(
                        history.c.provider_id == provider_id,
                        history.c.provider_model_id.in_(closed),
                        history.c.valid_to.is_(None),
                    )
                )
                .values(valid_to=now)
            )
        if opened:
            by_id = {offer.provider_model_id: offer for offer in offers}
            conn.execute(
                insert(history),
                [
                    {
                        "provider_id": provider_id,
                        "provider_model_id": model_id,
                        **by_id[model_id].prices.as_dict(),
                        "valid_from": now,
                    }
                    for model_id in opened
                ],
            )
        summary.rows_written = len(inserts) + len(updates) + len(misses)
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
        rewritten just to move a timestamp).
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
        with self.engine().connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]
