"""One provider's stored rows, read as plain tuples: the input of every diff.

Read in partitions: a sync's heap is large (100,000 offers), and holding 100,000 result
Rows at once gets them promoted to the oldest GC generation and sets off full collections
of that heap (most of a second each), where plain tuples of plain values are untracked.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, CursorResult, and_, case, null, select

from catalog_pipeline.domain.rows import PRICE_COLUMN_NAMES
from catalog_pipeline.store import schema
from catalog_pipeline.store.records import StoredRow

PARTITION_ROWS = 1_000
"""Result rows held at once while reading a provider's rows."""


def read_stored_rows(
    conn: Connection, provider_id: int, status: str | None = None, prices: bool = False
) -> dict[str, StoredRow]:
    """The provider's rows (with ``status``, if given) by provider_model_id, in the
    :data:`~catalog_pipeline.store.records.StoredRow` layout, prices only if asked for.

    ``last_seen_at`` is only read for rows not active: an active row that goes missing
    takes the previous sync's time.
    """
    models = schema.models
    query = select(
        models.c.provider_model_id,
        models.c.id,
        models.c.content_hash,
        models.c.status,
        models.c.missing_count,
        case((models.c.status == "active", null()), else_=models.c.last_seen_at),
        *((models.c[name] for name in PRICE_COLUMN_NAMES) if prices else ()),
    ).where(models.c.provider_id == provider_id)
    if status is not None:
        query = query.where(models.c.status == status)
    return by_first_column(conn.execute(query))


def read_active_hashes(conn: Connection, provider_id: int) -> dict[str, str]:
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


def by_first_column(result: CursorResult[Any]) -> dict[Any, tuple[Any, ...]]:
    """Rows keyed by their first value, the rest as a plain tuple, read in partitions."""
    keyed: dict[Any, tuple[Any, ...]] = {}
    for rows in result.partitions(PARTITION_ROWS):
        keyed.update((row[0], row[1:]) for row in rows)
    return keyed
