"""Reference price sources as a partitioned asset: one partition per source.

``reference_prices[s]`` fetches the source's file through the providers' client, checks
it, stores its observations and reprices every provider's stored offers from them
(:mod:`catalog_pipeline.pipeline.references`). Its partitions are its own
(``reference_partitions``): a source is not a provider, has no models rows, and its
failure never fails a provider's run. The catalog refreshes after it like after a
provider write.
"""

from collections.abc import Iterator
from typing import Any

import dagster as dg

from catalog_pipeline.defs.check_results import check_result, table_value
from catalog_pipeline.defs.ingest import FETCH_TAGS, provider_check
from catalog_pipeline.defs.partitions import reference_partitions
from catalog_pipeline.defs.resources import (
    CatalogStoreResource,
    CheckSettings,
    ProviderClientResource,
)
from catalog_pipeline.pipeline.outcome import Table
from catalog_pipeline.pipeline.references import sync_reference
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline.providers.references.registry import get_source

REFERENCE_CHECKS = (
    provider_check(
        "schema_valid",
        "reference_prices",
        "Entries failing validation are counted; above the threshold: ERROR (nothing stored).",
        blocking=True,
        partitions_def=reference_partitions,
    ),
    provider_check(
        "count_not_dropped",
        "reference_prices",
        "Roster models the source prices, against its last good fetch: WARN above 10%, "
        "ERROR above 50% (nothing stored).",
        blocking=True,
        partitions_def=reference_partitions,
    ),
    provider_check(
        "repriced_prices_sane",
        "reference_prices",
        "New prices the source would give other providers' offers, checked like a sync's "
        "(band, unit-bug move, offers turned free): ERROR when any is held back (those "
        "offers keep their stored prices).",
        partitions_def=reference_partitions,
    ),
)


@dg.asset(
    partitions_def=reference_partitions,
    group_name="references",
    kinds={"python"},
    op_tags=FETCH_TAGS,
    check_specs=REFERENCE_CHECKS,
    description=(
        "A reference price source (models.dev, LiteLLM, genai-prices): fetched, kept raw, "
        "matched to the roster's exact model ids, stored, and every offer repriced from it."
    ),
)
def reference_prices(
    context: dg.AssetExecutionContext,
    provider_client: ProviderClientResource,
    catalog_store: CatalogStoreResource,
    check_settings: CheckSettings,
) -> Iterator[Any]:
    source = get_source(context.partition_key)
    try:
        synced = sync_reference(
            provider_client, catalog_store, source, check_settings, context.run_id
        )
    except ProviderError as error:
        raise dg.Failure(
            description=error.message,
            metadata={
                "source": source.slug,
                "failure_kind": str(error.kind),
                "url": error.url or source.url,
            },
        ) from None
    fetch = synced.fetch
    repriced = [
        (
            slug,
            len(r.summary.repriced) if r.summary else 0,
            len(r.summary.updated) if r.summary else 0,
            len({model for model, *_ in r.held}),
        )
        for slug, r in sorted(synced.repriced.items())
    ]
    yield dg.MaterializeResult(
        metadata={
            "source": source.slug,
            "stored": synced.stored,
            "observations": len(fetch.observations),
            "entries": fetch.entries,
            "unmatched_entries": fetch.unmatched,
            "duplicates": fetch.duplicates,
            "rejected_rows": fetch.rejected_count,
            "bytes": fetch.page.size if fetch.page else 0,
            "sha256": fetch.page.sha256 if fetch.page else "",
            "fetched_at": fetch.fetched_at.isoformat(),
            "url": fetch.url,
            "repriced_offers": sum(n for _, n, _, _ in repriced),
            "repriced": table_value(
                Table.of(("provider", "repriced", "evidence changed", "held back"), repriced)
            ),
        }
    )
    for outcome in synced.outcomes:
        yield check_result(outcome)
