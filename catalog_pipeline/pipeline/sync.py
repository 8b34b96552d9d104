"""One provider's sync as plain functions: fetch -> parse -> check -> normalize -> check.

The Dagster assets call :func:`fetch_and_check` in ``provider_models`` and
:func:`normalize_and_check` in ``normalized_models``; reset-and-resync calls
:func:`stage_provider`, which is the two in a row. One path, so a rule added here holds for
the daily sync, a backfill and a reset alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from catalog_pipeline.pipeline import checks
from catalog_pipeline.pipeline.check_settings import CheckThresholds
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.pipeline.outcome import CheckOutcome
from catalog_pipeline.pipeline.overrides import apply_overrides
from catalog_pipeline.pipeline.pricing import by_model, references_for
from catalog_pipeline.pipeline.reference_checks import (
    price_sources_disagree,
    provider_price_unit_bug,
    source_votes,
)
from catalog_pipeline.pipeline.snapshot import NormalizedSnapshot, ProviderSnapshot
from catalog_pipeline.providers.client import ProviderClient, configured_secrets
from catalog_pipeline.providers.errors import FailureKind, ProviderError, redact
from catalog_pipeline.providers.fetch import ProviderFetch, fetch_provider
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.records import FetchRecord, PageRecord


def failure_status(error: ProviderError) -> str:
    return "not_configured" if error.kind is FailureKind.NOT_CONFIGURED else "failed"


def fetch_record(fetch: ProviderFetch) -> FetchRecord:
    """What the store's fetch log keeps of a fetch."""
    return FetchRecord(
        fetched_at=fetch.fetched_at,
        sha256=fetch.sha256,
        model_count=len(fetch.rows),
        rejected_count=fetch.rejected_count,
        pages=[
            PageRecord(
                url=page.url,
                http_status=page.status,
                sha256=page.sha256,
                size=page.size,
                content_gzip=page.content_gzip,
            )
            for page in fetch.pages
        ],
    )


@contextmanager
def failures_recorded(store: CatalogStore, slug: str, run_id: str | None) -> Iterator[None]:
    """Every failure of a step of ``slug``'s sync is recorded as the provider's failure.

    A provider error is recorded where it is raised (:func:`fetch_and_check`); anything
    else (a database error in the write, a parser's ``MemoryError``, a bug) is recorded
    here and re-raised, so ``last_status`` is never left ``ok`` after a failed run and
    ``missing_providers`` lists the provider once its last success grows old. When the
    database itself is what failed, recording may fail too: the original error is raised.
    """
    try:
        yield
    except ProviderError:
        raise
    except Exception as exc:
        text = redact(f"{type(exc).__name__}: {exc}", configured_secrets(get_provider(slug)))
        message = f"provider {slug!r}: the sync failed: {text[:500]}"
        try:
            store.record_failure(slug, "failed", message, run_id)
        except Exception as record_error:
            exc.add_note(f"recording the failure failed too: {type(record_error).__name__}")
        raise


@dataclass(frozen=True)
class Fetched:
    snapshot: ProviderSnapshot
    fetch: ProviderFetch
    outcomes: list[CheckOutcome] = field(default_factory=list)


@dataclass(frozen=True)
class Normalized:
    snapshot: NormalizedSnapshot
    outcomes: list[CheckOutcome] = field(default_factory=list)


def fetch_and_check(
    client: ProviderClient,
    store: CatalogStore,
    spec: ProviderSpec,
    settings: CheckThresholds,
    run_id: str | None,
    record: bool = True,
) -> Fetched:
    """Fetch and parse the provider's list; keep the raw pages (``record``); run the checks
    on what came back against the provider's last good sync.

    The provider's stored rows are read here, once per run: the checks compare with them
    and the snapshot carries them to the write step (``apply_offers`` diffs against them
    unless the provider's rows changed in between). A failed fetch is recorded as the
    provider's failure and re-raised. The provider's overrides are read with them; offers
    of models the provider does not list that an override ever named are not counted as
    dropped models.
    """
    try:
        fetch = fetch_provider(client, spec)
    except ProviderError as error:
        if record:
            store.record_failure(spec.slug, failure_status(error), error.message, run_id)
        raise
    snapshot_id = store.record_fetch(spec.slug, fetch_record(fetch), run_id) if record else 0
    stored = store.stored_offers(spec.slug)
    overrides = store.overrides(spec.slug)
    operator_priced = store.overrides_changed_since_last_success(spec.slug)
    operator_priced |= {override.provider_model_id for override in overrides}
    snapshot = ProviderSnapshot(
        provider=spec.slug,
        snapshot_id=snapshot_id,
        fetched_at=fetch.fetched_at,
        sha256=fetch.sha256,
        rows=fetch.rows,
        rejected_count=fetch.rejected_count,
        rejected=fetch.rejected,
        stored=stored,
        overrides=overrides,
        operator_priced=frozenset(operator_priced),
        references=references_for(store, spec.slug),
    )
    listed = {row.provider_model_id for row in fetch.rows}
    made_by_overrides = store.overridden_ids(spec.slug) - listed
    outcomes = [
        checks.schema_valid(snapshot, settings),
        checks.count_not_dropped(snapshot, stored.active_ids() - made_by_overrides, settings),
    ]
    return Fetched(snapshot=snapshot, fetch=fetch, outcomes=outcomes)


def normalize_and_check(snapshot: ProviderSnapshot, settings: CheckThresholds) -> Normalized:
    """Offers from the rows (each field priced by precedence over the provider's own, the
    reference sources' and the curated prices), the operator's overrides applied last, then
    the offer checks.

    An offer whose override is or was recently in play (``operator_priced``) is not
    compared with its stored price: setting, expiring or removing an override moves it on
    purpose. The band still applies.
    """
    spec = get_provider(snapshot.provider)
    references = by_model(snapshot.references)
    offers = apply_overrides(
        spec,
        normalize_rows(spec, snapshot.rows, references),
        snapshot.overrides,
        dt.datetime.now(dt.UTC),
    )
    normalized = NormalizedSnapshot(
        provider=snapshot.provider,
        snapshot_id=snapshot.snapshot_id,
        offers=offers,
        stored=snapshot.stored,
    )
    votes = source_votes(spec, snapshot.rows, references)
    previous = snapshot.stored.active_prices() if snapshot.stored is not None else {}
    for model_id in snapshot.operator_priced:
        previous.pop(model_id, None)
    outcomes = [
        checks.prices_sane(normalized, previous, settings),
        checks.names_valid(normalized),
        checks.one_price_per_canonical_id(normalized),
        checks.zero_prices_suspect(normalized),
        price_sources_disagree(spec.slug, votes),
        provider_price_unit_bug(spec.slug, votes),
    ]
    return Normalized(snapshot=normalized, outcomes=outcomes)


def stage_provider(
    client: ProviderClient, store: CatalogStore, spec: ProviderSpec, settings: CheckThresholds
) -> tuple[Normalized, list[CheckOutcome]]:
    """Both steps without recording anything: the offers and every check's outcome.

    Prices are not compared with the live rows: a reset exists to replace them, including
    rows a past unit bug wrote, and the absolute band still applies.
    """
    fetched = fetch_and_check(client, store, spec, settings, run_id=None, record=False)
    unanchored = fetched.snapshot.model_copy(update={"stored": None})
    normalized = normalize_and_check(unanchored, settings)
    return normalized, [*fetched.outcomes, *normalized.outcomes]
