"""The catalog database: the only reader and writer of catalog tables.

:class:`CatalogStore` is the one entry point and holds the settings; the work is in one
module per job, each a set of functions on an open connection:

- :mod:`~catalog_pipeline.store.fetch_log`: providers, fetches, raw pages, failures;
- :mod:`~catalog_pipeline.store.apply`: a provider's offers into the models table and its
  price history (the diff itself is :mod:`~catalog_pipeline.store.diff`);
- :mod:`~catalog_pipeline.store.reads`: provider states, offers, counts;
- :mod:`~catalog_pipeline.store.catalog_version`: the version readers reload on.

The database is migrated to the current schema the first time a process opens it
(:mod:`catalog_pipeline.store.migrations`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine

from catalog_pipeline.domain.overrides import PriceOverride
from catalog_pipeline.domain.references import ReferenceObservation
from catalog_pipeline.domain.rows import Offer
from catalog_pipeline.settings import database_url
from catalog_pipeline.store import apply, fetch_log, reads, reference_log
from catalog_pipeline.store import catalog_version as versions
from catalog_pipeline.store import overrides as override_rows
from catalog_pipeline.store.diff import ChangeSummary
from catalog_pipeline.store.engine import engine_for, safe_url
from catalog_pipeline.store.migrations import migrate
from catalog_pipeline.store.records import FetchRecord, ProviderRow, StoredOffers

_MIGRATED: set[str] = set()


DEFAULT_RAW_PAGES_KEPT = 30
"""Fetches per provider whose raw pages a sync keeps; pruning below it is an admin job."""


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
        default=DEFAULT_RAW_PAGES_KEPT,
        ge=1,
        description=(
            "Fetches per provider whose raw pages are kept; older fetches keep their facts "
            "(time, sha256, size, counts) but their pages are deleted. Fewer than the "
            "default only through the prune_raw_pages admin job."
        ),
    )

    @property
    def url(self) -> str:
        return database_url(self.database_url)

    @property
    def display_url(self) -> str:
        return safe_url(self.url)

    def engine(self) -> Engine:
        """The shared engine, the database migrated once per process (see ``migrate``)."""
        url = self.url
        engine = engine_for(url)
        if url not in _MIGRATED:
            migrate(engine)
            _MIGRATED.add(url)
        return engine

    # providers and the fetch log ---------------------------------------------------------

    def register_providers(self, providers: Iterable[ProviderRow]) -> None:
        """Upsert the providers, writing only rows that differ (see ``fetch_log``)."""
        with self.engine().begin() as conn:
            fetch_log.register_providers(conn, providers)

    def ensure_provider(self, provider: ProviderRow) -> None:
        """One provider's row, as a partition run needs it: a read, and a write only when
        the registry changed (the whole roster is registered once per sync, not per run)."""
        self.register_providers((provider,))

    def record_fetch(self, slug: str, fetch: FetchRecord, run_id: str | None) -> int:
        """Keep the raw pages and the fetch facts; return the snapshot id."""
        with self.engine().begin() as conn:
            return fetch_log.record_fetch(
                conn, slug, fetch, run_id, self.raw_pages_kept, self.display_url
            )

    def record_failure(self, slug: str, status: str, error: str, run_id: str | None) -> None:
        """A failed or unconfigured fetch: recorded, and the provider's models stay as they were."""
        with self.engine().begin() as conn:
            fetch_log.record_failure(conn, slug, status, error, run_id, self.display_url)

    # offers ------------------------------------------------------------------------------

    def apply_offers(
        self,
        slug: str,
        offers: Sequence[Offer],
        snapshot_id: int | None,
        stored: StoredOffers | None = None,
    ) -> ChangeSummary:
        """Make the provider's rows equal ``offers`` in one transaction, writing only changes.

        ``stored`` is what :meth:`stored_offers` returned earlier in the same sync: the
        diff starts from it unless the provider's rows changed since.
        """
        with self.engine().begin() as conn:
            return self.apply_offers_in(conn, slug, offers, snapshot_id, stored)

    def apply_offers_in(
        self,
        conn: Connection,
        slug: str,
        offers: Sequence[Offer],
        snapshot_id: int | None,
        stored: StoredOffers | None = None,
    ) -> ChangeSummary:
        """``apply_offers`` inside the caller's transaction (admin jobs batch providers)."""
        return apply.apply_offers_in(
            conn, slug, offers, snapshot_id, self.deprecate_after_misses, stored, self.display_url
        )

    def reprice_offers(self, slug: str, offers: Sequence[Offer]) -> ChangeSummary:
        """Write new prices of some of the provider's stored offers (a reference fetch
        repriced them): price history like a sync, but no other row is touched, nothing
        counts as missing and the provider's sync state stays."""
        with self.engine().begin() as conn:
            return apply.reprice_offers_in(conn, slug, offers, self.display_url)

    # reference sources ---------------------------------------------------------------------

    def record_reference_fetch(
        self,
        source: str,
        facts: dict[str, Any],
        observations: Sequence[ReferenceObservation],
    ) -> int:
        """Log a reference fetch and replace the source's observations, in one transaction."""
        with self.engine().begin() as conn:
            return reference_log.record_fetch(
                conn, source, facts, observations, self.raw_pages_kept
            )

    def record_reference_failure(
        self, source: str, error: str, run_id: str | None, url: str | None = None
    ) -> None:
        with self.engine().begin() as conn:
            reference_log.record_failure(conn, source, error, run_id, url)

    def reference_observations(self, provider: str | None = None) -> list[ReferenceObservation]:
        with self.engine().connect() as conn:
            return reference_log.observations(conn, provider)

    def reference_count(self, source: str) -> int | None:
        with self.engine().connect() as conn:
            return reference_log.last_good_count(conn, source)

    def reference_states(self) -> dict[str, dict[str, Any]]:
        with self.engine().connect() as conn:
            return reference_log.states(conn)

    # reads -------------------------------------------------------------------------------

    def stored_offers(self, slug: str) -> StoredOffers:
        """Every stored row of the provider and its rows version, from one snapshot: what
        a sync's checks compare with and its write diffs against."""
        with self.engine().connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                provider = fetch_log.provider_id(conn, slug, self.display_url)
                return reads.stored_offers(conn, provider)

    def current_offers(self, slug: str) -> dict[str, dict[str, Any]]:
        """The provider's rows that are active now, keyed by provider_model_id."""
        with self.engine().connect() as conn:
            return reads.current_offers(conn, fetch_log.provider_id(conn, slug, self.display_url))

    def provider_states(self) -> list[dict[str, Any]]:
        with self.engine().connect() as conn:
            return reads.provider_states(conn)

    def offers(self, statuses: tuple[str, ...] = ("active",)) -> list[dict[str, Any]]:
        """Every offer with its provider slug, read in one consistent transaction."""
        with self.engine().connect() as conn:
            return reads.offers(conn, statuses)

    def model_count(self, slug: str | None = None) -> int:
        with self.engine().connect() as conn:
            return reads.model_count(conn, slug)

    def catalog_version(self) -> int:
        with self.engine().connect() as conn:
            return versions.read(conn)

    # operator price overrides (see store.overrides) -------------------------------------

    def set_override(
        self, override: PriceOverride, run_id: str | None = None
    ) -> PriceOverride | None:
        """Store the override and its audit row in one transaction; return the replaced one."""
        with self.engine().begin() as conn:
            return override_rows.set_override(conn, override, run_id)

    def remove_override(
        self, provider: str, model_id: str, actor: str, run_id: str | None = None
    ) -> PriceOverride | None:
        """Delete the offer's override and audit it; None when there was none."""
        with self.engine().begin() as conn:
            return override_rows.remove_override(conn, provider, model_id, actor, run_id)

    def overrides(self, provider: str | None = None) -> list[PriceOverride]:
        """Every stored override (expired ones included), or the provider's."""
        with self.engine().connect() as conn:
            return override_rows.list_overrides(conn, provider)

    def record_override_expiries(
        self, now: dt.datetime, run_id: str | None = None
    ) -> list[PriceOverride]:
        """Audit, once each, the overrides that expired since the last look."""
        with self.engine().begin() as conn:
            return override_rows.record_expiries(conn, now, run_id)

    def overridden_ids(self, provider: str) -> set[str]:
        """Every model id of the provider that an override ever named, removed ones too."""
        with self.engine().connect() as conn:
            return override_rows.overridden_ids(conn, provider)

    def overrides_changed_since_last_success(self, provider: str) -> set[str]:
        """Model ids whose override changed after the provider's last successful sync."""
        with self.engine().connect() as conn:
            return override_rows.changed_since_last_success(conn, provider)

    def override_changes_since(self, after_id: int) -> list[tuple[int, str]]:
        """(audit id, provider) of the override changes after ``after_id``."""
        with self.engine().connect() as conn:
            return override_rows.changes_since(conn, after_id)

    def override_audit(self) -> list[dict[str, Any]]:
        with self.engine().connect() as conn:
            return override_rows.audit_rows(conn)
