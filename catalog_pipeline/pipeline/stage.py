"""Rebuild providers' offers aside, checked, before ``reset_and_resync`` swaps them in."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from catalog_pipeline.domain.rows import Offer
from catalog_pipeline.pipeline.check_settings import CheckThresholds
from catalog_pipeline.pipeline.sync import stage_provider
from catalog_pipeline.providers.client import ProviderClient
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.store.catalog_store import CatalogStore


class StagingFailed(RuntimeError):
    """A provider failed or a blocking check failed while staging; the live catalog is intact."""


def stage_offers(
    slugs: list[str],
    client: ProviderClient,
    store: CatalogStore,
    settings: CheckThresholds,
    concurrency: int = 8,
) -> dict[str, list[Offer]]:
    """Fetch, parse, normalize and check every provider; raise unless all of them pass."""

    def stage(slug: str) -> tuple[str, list[Offer] | str]:
        try:
            normalized, outcomes = stage_provider(client, store, get_provider(slug), settings)
        except ProviderError as error:
            return slug, error.message
        failed = [outcome.summary for outcome in outcomes if outcome.blocks]
        if failed:
            return slug, f"blocking check(s) failed: {'; '.join(failed)}"
        return slug, normalized.snapshot.offers

    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(slugs)))) as pool:
        staged = dict(pool.map(stage, slugs))
    problems = {slug: value for slug, value in staged.items() if isinstance(value, str)}
    if problems:
        lines = "; ".join(f"{slug}: {message}" for slug, message in sorted(problems.items()))
        raise StagingFailed(f"{len(problems)} of {len(slugs)} providers failed staging: {lines}")
    return {slug: value for slug, value in staged.items() if not isinstance(value, str)}
