"""Read queries of the catalog: provider states, offers, counts and the version.

Every function takes an open connection; :class:`~catalog_pipeline.store.catalog_store.
CatalogStore` opens it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from catalog_pipeline.domain.collector import collector_paused
from catalog_pipeline.store import schema
from catalog_pipeline.store.records import StoredOffers
from catalog_pipeline.store.stored_rows import read_stored_rows


def provider_states(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(schema.providers).order_by(schema.providers.c.slug))
    return [dict(row._mapping) for row in rows]


def stored_offers(conn: Connection, provider_id: int) -> StoredOffers:
    """Every row of the provider, prices included, and its ``rows_version``.

    Both must come from one snapshot of the database: the caller reads on PostgreSQL at
    REPEATABLE READ (SQLite transactions are serial). The version is read first all the
    same, so under a weaker isolation a commit in between would only make the rows look
    newer than their version, which sends the write step back to the database, never the
    other way round.
    """
    version = conn.execute(
        select(schema.providers.c.rows_version).where(schema.providers.c.id == provider_id)
    ).scalar_one()
    return StoredOffers(version, read_stored_rows(conn, provider_id, prices=True))


def current_offers(conn: Connection, provider_id: int) -> dict[str, dict[str, Any]]:
    """The provider's rows that are active now, keyed by provider_model_id."""
    models = schema.models
    rows = conn.execute(
        select(models).where(and_(models.c.provider_id == provider_id, models.c.status == "active"))
    )
    return {row.provider_model_id: dict(row._mapping) for row in rows}


def offers(conn: Connection, statuses: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every offer with its provider slug, read in the caller's transaction.

    ``last_seen_at`` of an active offer is its provider's last successful sync (the
    column itself changes only on status transitions, so unchanged rows are never
    rewritten just to move a timestamp). Rows are zipped with the column names once
    (``RowMapping`` per row costs more than the query) and read with the collector
    paused (see :func:`~catalog_pipeline.domain.collector.collector_paused`).
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
    with collector_paused():
        result = conn.execute(query)
        keys = tuple(result.keys())
        return [dict(zip(keys, row, strict=True)) for row in result]


def model_count(conn: Connection, slug: str | None = None) -> int:
    query = select(func.count()).select_from(schema.models)
    if slug is not None:
        query = query.join(schema.providers).where(schema.providers.c.slug == slug)
    return int(conn.execute(query).scalar_one())
