"""Destructive catalog operations: always backed up first, always audited, all-or-nothing.

Every operation (1) refuses to start without its exact confirmation value, (2) writes a
backup of the catalog tables in its own committed transaction, (3) does its work in one
transaction that also bumps the catalog version and marks every provider's rows as
changed (a sync that read them before then reads them again), and (4) writes an audit
row with the row counts before and after, whether it succeeded or failed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, select

from catalog_pipeline.domain.rows import Offer
from catalog_pipeline.store import catalog_version, fetch_log, schema
from catalog_pipeline.store.backups import create_backup, restore_backup, table_counts, write_audit
from catalog_pipeline.store.catalog_store import CatalogStore

CONFIRM_FLUSH_MODELS = "DELETE_ALL_MODELS"
CONFIRM_FLUSH_PROVIDERS = "DELETE_EVERYTHING"
CONFIRM_RESET = "RESET_AND_RESYNC"
CONFIRM_RESTORE = "RESTORE_CATALOG"
CONFIRM_PRUNE_RAW_PAGES = "PRUNE_RAW_PAGES"


class ConfirmationError(ValueError):
    """The run config did not carry the exact confirmation value; nothing was touched."""


@dataclass(frozen=True)
class AdminOutcome:
    job: str
    backup_name: str
    counts_before: dict[str, int]
    counts_after: dict[str, int]
    detail: str


def require(given: object, expected: object, job: str, field: str) -> None:
    """Refuse unless ``given`` is the exact confirmation value.

    The message names the field and where its value is stated (the field's description in
    the launchpad, the job's description), never the value itself: a refusal that can be
    pasted back as the confirmation confirms nothing.
    """
    if given != expected:
        raise ConfirmationError(
            f"{job} refused: run config field {field!r} does not hold the confirmation value "
            f"(ops: {{{job}_op: {{config: {{{field}: ...}}}}}}); the field's description "
            "in the launchpad states what it must be. Nothing was changed."
        )


def provider_count(store: CatalogStore) -> int:
    with store.engine().connect() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.providers)).scalar_one())


def run_destructive(
    store: CatalogStore,
    job: str,
    run_id: str | None,
    confirmation: str,
    action: Callable[[Connection], str],
) -> AdminOutcome:
    engine = store.engine()
    started = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        before = table_counts(conn)
        backup_name, _ = create_backup(conn, job, run_id)
    audit = {
        "job": job,
        "run_id": run_id,
        "confirmation": confirmation,
        "backup_name": backup_name,
        "counts_before": before,
        "started_at": started,
    }
    try:
        with engine.begin() as conn:
            detail = action(conn)
            catalog_version.bump_for_every_provider(conn)
            after = table_counts(conn)
    except Exception as exc:
        write_audit(
            engine,
            **audit,
            outcome="failed",
            detail=str(exc)[:2000],
            finished_at=dt.datetime.now(dt.UTC),
        )
        raise
    write_audit(
        engine,
        **audit,
        counts_after=after,
        outcome="succeeded",
        detail=detail,
        finished_at=dt.datetime.now(dt.UTC),
    )
    return AdminOutcome(job, backup_name, before, after, detail)


def flush_models(store: CatalogStore, run_id: str | None, confirm: str) -> AdminOutcome:
    require(confirm, CONFIRM_FLUSH_MODELS, "flush_models", "confirm")

    def action(conn: Connection) -> str:
        deleted = conn.execute(delete(schema.models)).rowcount
        return f"deleted {deleted} model rows"

    return run_destructive(store, "flush_models", run_id, confirm, action)


def flush_providers(
    store: CatalogStore, run_id: str | None, confirm: str, expected_providers: int
) -> AdminOutcome:
    require(confirm, CONFIRM_FLUSH_PROVIDERS, "flush_providers", "confirm")
    require(expected_providers, provider_count(store), "flush_providers", "provider_count")

    def action(conn: Connection) -> str:
        deleted = conn.execute(delete(schema.providers)).rowcount
        return f"deleted {deleted} providers and, by cascade, their models, history and snapshots"

    return run_destructive(store, "flush_providers", run_id, confirm, action)


def replace_catalog(
    store: CatalogStore, run_id: str | None, confirm: str, offers: dict[str, list[Offer]]
) -> AdminOutcome:
    """Swap the rebuilt providers' rows in, all providers in one transaction."""
    require(confirm, CONFIRM_RESET, "reset_and_resync", "confirm")

    def action(conn: Connection) -> str:
        models, history = schema.models, schema.price_history
        for slug, provider_offers in sorted(offers.items()):
            provider_id = conn.execute(
                select(schema.providers.c.id).where(schema.providers.c.slug == slug)
            ).scalar_one()
            conn.execute(delete(history).where(history.c.provider_id == provider_id))
            conn.execute(delete(models).where(models.c.provider_id == provider_id))
            store.apply_offers_in(conn, slug, provider_offers, None)
        total = sum(len(v) for v in offers.values())
        return f"rebuilt {len(offers)} providers with {total} models"

    return run_destructive(store, "reset_and_resync", run_id, confirm, action)


def restore_catalog(
    store: CatalogStore, run_id: str | None, confirm: str, name: str
) -> AdminOutcome:
    require(confirm, CONFIRM_RESTORE, "restore_catalog", "confirm")

    def action(conn: Connection) -> str:
        counts = restore_backup(conn, name)
        return f"restored backup {name}: {counts}"

    return run_destructive(store, "restore_catalog", run_id, confirm, action)


def prune_raw_pages(
    store: CatalogStore, run_id: str | None, confirm: str, pages_kept: int
) -> AdminOutcome:
    """Keep the raw pages of only each provider's newest ``pages_kept`` fetches (0: none)."""
    require(confirm, CONFIRM_PRUNE_RAW_PAGES, "prune_raw_pages", "confirm")
    if pages_kept < 0:
        raise ConfirmationError(f"prune_raw_pages refused: pages_kept {pages_kept} is negative")

    def action(conn: Connection) -> str:
        pages = schema.raw_payloads
        before = conn.execute(select(func.count()).select_from(pages)).scalar_one()
        for provider in conn.execute(select(schema.providers.c.id)).scalars().all():
            fetch_log.prune_raw_pages(conn, provider, pages_kept)
        after = conn.execute(select(func.count()).select_from(pages)).scalar_one()
        return f"deleted {before - after} raw pages; each provider keeps its newest {pages_kept}"

    return run_destructive(store, "prune_raw_pages", run_id, confirm, action)
