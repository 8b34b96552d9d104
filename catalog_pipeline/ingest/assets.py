"""Per-provider assets: fetch and parse the model list, then normalize it into offers."""

from collections.abc import Iterator
from typing import Any

import dagster as dg

from catalog_pipeline.catalog.normalize import normalize_rows
from catalog_pipeline.catalog.rows import PRICE_FIELDS
from catalog_pipeline.ingest import checks
from catalog_pipeline.ingest.check_settings import CheckSettings
from catalog_pipeline.ingest.partitions import provider_partitions
from catalog_pipeline.ingest.snapshot import NormalizedSnapshot, ProviderSnapshot
from catalog_pipeline.providers.client import ProviderClient
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.fetch import fetch_provider
from catalog_pipeline.providers.registry import PROVIDERS, get_provider
from catalog_pipeline.store.catalog_store import CatalogStore

FETCH_POOL = "provider_fetch"
FETCH_TAGS = {"dagster/concurrency_key": FETCH_POOL}


def failure_status(error: ProviderError) -> str:
    return "not_configured" if error.kind is FailureKind.NOT_CONFIGURED else "failed"


@dg.asset(
    partitions_def=provider_partitions,
    group_name="ingest",
    kinds={"python"},
    op_tags=FETCH_TAGS,
    check_specs=checks.FETCH_CHECKS,
    description="A provider's model list as its API returns it: fetched, kept raw, parsed.",
)
def provider_models(
    context: dg.AssetExecutionContext,
    provider_client: ProviderClient,
    catalog_store: CatalogStore,
    check_settings: CheckSettings,
) -> Iterator[Any]:
    spec = get_provider(context.partition_key)
    catalog_store.register_providers(PROVIDERS)
    try:
        fetch = fetch_provider(provider_client, spec)
    except ProviderError as error:
        catalog_store.record_failure(
            spec.slug, failure_status(error), error.message, context.run_id
        )
        raise dg.Failure(
            description=error.message,
            metadata={
                "provider": spec.slug,
                "status": failure_status(error),
                "failure_kind": str(error.kind),
                "url": error.url or spec.list_url,
                "http_status": error.status if error.status is not None else -1,
            },
            allow_retries=error.kind in (FailureKind.HTTP, FailureKind.NETWORK),
        ) from None
    snapshot_id = catalog_store.record_fetch(spec, fetch, context.run_id)
    snapshot = ProviderSnapshot(
        provider=spec.slug,
        snapshot_id=snapshot_id,
        fetched_at=fetch.fetched_at,
        sha256=fetch.sha256,
        rows=fetch.rows,
        rejected_count=fetch.rejected_count,
        rejected=fetch.rejected,
    )
    yield dg.Output(
        snapshot,
        metadata={
            "provider": spec.slug,
            "models": len(fetch.rows),
            "rejected_rows": fetch.rejected_count,
            "pages": len(fetch.pages),
            "bytes": sum(page.size for page in fetch.pages),
            "http_attempts": sum(page.attempts for page in fetch.pages),
            "sha256": fetch.sha256,
            "fetched_at": fetch.fetched_at.isoformat(),
            "url": fetch.pages[0].url,
            "fetch_seconds": round(fetch.elapsed_seconds, 3),
            "snapshot_id": snapshot_id,
        },
    )
    yield checks.schema_valid(snapshot, check_settings)
    previous = set(catalog_store.current_offers(spec.slug))
    yield checks.count_not_dropped(snapshot, previous, check_settings)


@dg.asset(
    partitions_def=provider_partitions,
    group_name="ingest",
    kinds={"python"},
    check_specs=checks.OFFER_CHECKS,
    description="The provider's models as offers: canonical ids, display names, USD per token.",
)
def normalized_models(
    provider_models: ProviderSnapshot,
    catalog_store: CatalogStore,
    check_settings: CheckSettings,
) -> Iterator[Any]:
    offers = normalize_rows(provider_models.provider, provider_models.rows)
    unpriced = sum(1 for offer in offers if offer.prices.is_unpriced())
    priced_fields = {
        name: sum(1 for offer in offers if getattr(offer.prices, name) is not None)
        for name in PRICE_FIELDS
    }
    snapshot = NormalizedSnapshot(
        provider=provider_models.provider,
        snapshot_id=provider_models.snapshot_id,
        offers=offers,
    )
    yield dg.Output(
        snapshot,
        metadata={
            "provider": provider_models.provider,
            "offers": len(offers),
            "unpriced": unpriced,
            "canonical_models": len({offer.canonical_id for offer in offers}),
            "priced_fields": dg.MetadataValue.json(priced_fields),
        },
    )
    stored = catalog_store.current_offers(snapshot.provider)
    yield checks.prices_sane(snapshot, stored, check_settings)
    yield checks.names_valid(snapshot)
