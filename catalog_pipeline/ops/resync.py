"""Rebuild providers' offers aside, checked, before ``reset_and_resync`` swaps them in."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import dagster as dg

from catalog_pipeline.catalog.normalize import normalize_rows
from catalog_pipeline.catalog.rows import Offer
from catalog_pipeline.ingest import checks
from catalog_pipeline.ingest.check_settings import CheckSettings
from catalog_pipeline.ingest.snapshot import NormalizedSnapshot, ProviderSnapshot
from catalog_pipeline.providers.client import ProviderClient
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline.providers.fetch import fetch_provider
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.store.catalog_store import CatalogStore


class StagingFailed(RuntimeError):
    """A provider failed or a blocking check failed while staging; the live catalog is intact."""


def stage_offers(
    slugs: list[str],
    client: ProviderClient,
    store: CatalogStore,
    settings: CheckSettings,
    concurrency: int = 8,
) -> dict[str, list[Offer]]:
    """Fetch, parse, normalize and check every provider; raise unless all of them pass."""

    def stage(slug: str) -> tuple[str, list[Offer] | str]:
        spec = get_provider(slug)
        try:
            fetch = fetch_provider(client, spec)
        except ProviderError as error:
            return slug, error.message
        snapshot = ProviderSnapshot(
            provider=slug,
            snapshot_id=0,
            fetched_at=fetch.fetched_at,
            sha256=fetch.sha256,
            rows=fetch.rows,
            rejected_count=fetch.rejected_count,
            rejected=fetch.rejected,
        )
        offers = normalize_rows(slug, fetch.rows)
        normalized = NormalizedSnapshot(provider=slug, snapshot_id=0, offers=offers)
        results = [
            checks.schema_valid(snapshot, settings),
            checks.count_not_dropped(snapshot, set(store.current_offers(slug)), settings),
            checks.prices_sane(normalized, {}, settings),
        ]
        failed = [
            r.check_name
            for r in results
            if not r.passed and r.severity == dg.AssetCheckSeverity.ERROR
        ]
        if failed:
            return slug, f"blocking check(s) failed: {', '.join(failed)}"
        return slug, offers

    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(slugs)))) as pool:
        staged = dict(pool.map(stage, slugs))
    problems = {slug: value for slug, value in staged.items() if isinstance(value, str)}
    if problems:
        lines = "; ".join(f"{slug}: {message}" for slug, message in sorted(problems.items()))
        raise StagingFailed(f"{len(problems)} of {len(slugs)} providers failed staging: {lines}")
    return {slug: value for slug, value in staged.items() if not isinstance(value, str)}
