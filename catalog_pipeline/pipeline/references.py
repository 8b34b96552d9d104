"""One reference source's sync: fetch -> read -> check -> store -> reprice the offers.

The ``reference_prices`` asset runs :func:`sync_reference` for its partition. The checks
are the providers' (items failing validation, a count drop against the last good fetch);
a blocking failure stores nothing, so the source's previous observations, and every
price chosen from them, stay. A failed source never touches a provider's rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalog_pipeline.pipeline.check_settings import CheckThresholds
from catalog_pipeline.pipeline.outcome import CheckOutcome, Table, count, first
from catalog_pipeline.pipeline.pricing import Repricing, reprice_from_references, repricing_sane
from catalog_pipeline.providers.client import ProviderClient
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline.providers.references.fetch import ReferenceFetch, fetch_reference
from catalog_pipeline.providers.references.source import ReferenceSource
from catalog_pipeline.store.catalog_store import CatalogStore


@dataclass
class ReferenceSynced:
    fetch: ReferenceFetch
    outcomes: list[CheckOutcome]
    stored: bool
    repriced: dict[str, Repricing] = field(default_factory=dict)


def schema_valid(fetch: ReferenceFetch, settings: CheckThresholds) -> CheckOutcome:
    total = fetch.item_count
    fraction = fetch.rejected_count / total if total else 1.0
    rejected = [f"{r.provider_model_id or r.index}: {r.error[:120]}" for r in fetch.rejected]
    if total == 0:
        summary = (
            f"{fetch.source}: the file has no entries, which is a failed fetch; nothing is "
            "stored and the previous observations stay"
        )
    elif fetch.rejected_count:
        summary = (
            f"{fetch.source}: {fetch.rejected_count} of {count(total, 'entry', 'entries')} "
            f"failed validation ({fraction:.1%}; ERROR above "
            f"{settings.max_rejected_fraction:.0%}); first: {first(rejected, 2)}"
        )
    else:
        summary = f"{fetch.source}: all {count(total, 'entry', 'entries')} valid"
    return CheckOutcome(
        name="schema_valid",
        passed=fraction <= settings.max_rejected_fraction,
        severity="ERROR",
        summary=summary,
        metadata={
            "source": fetch.source,
            "entries": total,
            "rejected": fetch.rejected_count,
            "rejected_rows": Table.of(
                ("item", "key", "error"),
                [(r.index, r.provider_model_id, r.error[:160]) for r in fetch.rejected],
            ),
        },
    )


def count_not_dropped(
    fetch: ReferenceFetch, previous: int | None, settings: CheckThresholds
) -> CheckOutcome:
    current = len(fetch.observations)
    drop = max(0.0, 1 - current / previous) if previous else 0.0
    error_at = settings.drop_error_for(fetch.source)
    severity = "WARN" if settings.count_drop_warn < drop <= error_at else "ERROR"
    passed = drop <= settings.count_drop_warn
    summary = (
        f"{fetch.source}: {count(current, 'roster model')} priced, {previous} at the last good "
        f"fetch ({drop:.1%} dropped; WARN above {settings.count_drop_warn:.0%}, ERROR above "
        f"{error_at:.0%})"
        if previous
        else f"{fetch.source}: {count(current, 'roster model')} priced; no earlier good fetch"
    )
    if not passed and severity == "ERROR":
        summary += "; the previous observations stay"
    return CheckOutcome(
        name="count_not_dropped",
        passed=passed,
        severity=severity,
        summary=summary,
        metadata={
            "source": fetch.source,
            "previous_count": previous or 0,
            "current_count": current,
            "drop_fraction": round(drop, 4),
            "unmatched_entries": fetch.unmatched,
        },
    )


def sync_reference(
    client: ProviderClient,
    store: CatalogStore,
    source: ReferenceSource,
    settings: CheckThresholds,
    run_id: str | None,
) -> ReferenceSynced:
    """Fetch and check the source; if no blocking check failed, store its observations and
    reprice every provider's offers from them, holding back new prices that fail the price
    rules (``repriced_prices_sane``). A failed fetch is logged and re-raised."""
    try:
        fetch = fetch_reference(client, source)
    except ProviderError as error:
        store.record_reference_failure(source.slug, error.message, run_id, error.url)
        raise
    outcomes = [
        schema_valid(fetch, settings),
        count_not_dropped(fetch, store.reference_count(source.slug), settings),
    ]
    if any(outcome.blocks for outcome in outcomes):
        failed = "; ".join(o.summary for o in outcomes if o.blocks)
        store.record_reference_failure(source.slug, f"blocking check failed: {failed}", run_id)
        outcomes.append(repricing_sane(f"{source.slug} (not stored)", {}))
        return ReferenceSynced(fetch=fetch, outcomes=outcomes, stored=False)
    page = fetch.page
    facts = {
        "fetched_at": fetch.fetched_at,
        "url": fetch.url,
        "http_status": page.status if page else None,
        "sha256": page.sha256 if page else None,
        "bytes": page.size if page else None,
        "content_gzip": page.content_gzip if page else None,
        "rejected_count": fetch.rejected_count,
        "run_id": run_id,
    }
    store.record_reference_fetch(source.slug, facts, fetch.observations)
    repriced = reprice_from_references(store, settings)
    outcomes.append(repricing_sane(source.slug, repriced))
    return ReferenceSynced(fetch=fetch, outcomes=outcomes, stored=True, repriced=repriced)
