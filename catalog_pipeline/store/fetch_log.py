"""Provider bookkeeping and the fetch log: who the providers are, what each fetch brought
back (its raw pages, kept for the newest fetches only), and how each provider last fared.

Every function works inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, delete, insert, select, update

from catalog_pipeline.store import schema
from catalog_pipeline.store.engine import insert_for
from catalog_pipeline.store.records import FetchRecord, ProviderRow

_REGISTERED = ("name", "api_family", "list_url", "price_unit")


def register_providers(conn: Connection, providers: Iterable[ProviderRow]) -> None:
    """Bring the providers table in line with the registry, writing only what differs.

    Every run calls this, so it must be cheap and safe when runs start together on a
    fresh database: rows that already match are not touched (no row locks taken), and
    the rest go through an upsert on the slug, which concurrent runs cannot collide on.
    """
    table = schema.providers
    wanted = {p.slug: (p.name, p.api_family, p.list_url, p.price_unit) for p in providers}
    stored = {
        row.slug: tuple(row[1:])
        for row in conn.execute(
            select(table.c.slug, *(table.c[c] for c in _REGISTERED)).where(
                table.c.slug.in_(list(wanted))
            )
        )
    }
    for slug, values in wanted.items():
        if stored.get(slug) == values:
            continue
        row = dict(zip(_REGISTERED, values, strict=True))
        statement = insert_for(conn)(table).values(slug=slug, **row)
        conn.execute(statement.on_conflict_do_update(index_elements=["slug"], set_=row))


def provider_id(conn: Connection, slug: str, where: str) -> int:
    """The provider's row id; ``where`` names the database for the error."""
    found = conn.execute(
        select(schema.providers.c.id).where(schema.providers.c.slug == slug)
    ).scalar_one_or_none()
    if found is None:
        raise LookupError(f"provider {slug!r} is not registered in {where}")
    return found


def record_fetch(
    conn: Connection,
    slug: str,
    fetch: FetchRecord,
    run_id: str | None,
    pages_kept: int,
    where: str,
) -> int:
    """Keep the raw pages and the fetch facts; return the snapshot id."""
    provider = provider_id(conn, slug, where)
    snapshot_id = conn.execute(
        insert(schema.provider_snapshots)
        .values(
            provider_id=provider,
            run_id=run_id,
            fetched_at=fetch.fetched_at,
            status="fetched",
            sha256=fetch.sha256,
            bytes=sum(page.size for page in fetch.pages),
            model_count=fetch.model_count,
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
                "http_status": page.http_status,
                "sha256": page.sha256,
                "bytes": page.size,
                "content_gzip": page.content_gzip,
            }
            for index, page in enumerate(fetch.pages)
        ],
    )
    conn.execute(
        update(schema.providers)
        .where(schema.providers.c.id == provider)
        .values(last_attempt_at=fetch.fetched_at)
    )
    prune_raw_pages(conn, provider, pages_kept)
    return snapshot_id


def prune_raw_pages(conn: Connection, provider: int, pages_kept: int) -> None:
    """Delete the pages of all but the provider's newest ``pages_kept`` fetches.

    A daily sync stores every page again (Featherless alone is ~50 MB a day before
    gzip), and backups copy the table: without a bound both grow forever. Fetches are
    counted among those that still have pages, so a run of failures never removes the
    last good payload; the snapshot rows themselves are kept.
    """
    snapshots, pages = schema.provider_snapshots, schema.raw_payloads
    expired = (
        select(pages.c.snapshot_id)
        .join(snapshots, snapshots.c.id == pages.c.snapshot_id)
        .where(snapshots.c.provider_id == provider)
        .group_by(pages.c.snapshot_id)
        .order_by(pages.c.snapshot_id.desc())
        .offset(pages_kept)
    )
    stale = conn.execute(expired).scalars().all()
    if stale:
        conn.execute(delete(pages).where(pages.c.snapshot_id.in_(stale)))


def record_failure(
    conn: Connection, slug: str, status: str, error: str, run_id: str | None, where: str
) -> None:
    """A failed or unconfigured fetch: recorded, and the provider's models stay as they were."""
    now = dt.datetime.now(dt.UTC)
    provider = provider_id(conn, slug, where)
    conn.execute(
        insert(schema.provider_snapshots).values(
            provider_id=provider,
            run_id=run_id,
            fetched_at=now,
            status=status,
            error=error,
        )
    )
    conn.execute(
        update(schema.providers)
        .where(schema.providers.c.id == provider)
        .values(last_status=status, last_error=error, last_attempt_at=now)
    )
