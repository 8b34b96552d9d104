"""Per-provider assets: fetch and parse the model list, then normalize it into offers.

The work is :mod:`catalog_pipeline.pipeline.sync`; these assets run it one partition at a
time and report its check outcomes as blocking asset checks of the partition.

A failed fetch fails the step without a Dagster retry: transient failures are already
retried inside the HTTP client (backoff, ``Retry-After``), a provider that is still down
after that is reported as failed and keeps its last good rows, and the next scheduled sync
tries again. Run-level retries (``run_retries`` in the instance config) are for runs whose
worker died, never for a provider's error or a failed check.
"""

import warnings
from collections.abc import Iterator
from typing import Any

import dagster as dg

from catalog_pipeline.defs.check_results import check_result
from catalog_pipeline.defs.io_manager import RunScopedIOManager
from catalog_pipeline.defs.partitions import provider_partitions
from catalog_pipeline.defs.resources import (
    CatalogStoreResource,
    CheckSettings,
    ProviderClientResource,
)
from catalog_pipeline.domain.rows import PRICE_FIELDS
from catalog_pipeline.pipeline.registration import provider_row
from catalog_pipeline.pipeline.snapshot import NormalizedSnapshot, ProviderSnapshot
from catalog_pipeline.pipeline.sync import (
    failure_status,
    failures_recorded,
    fetch_and_check,
    normalize_and_check,
)
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline.providers.registry import get_provider

FETCH_POOL = "provider_fetch"
FETCH_TAGS = {"dagster/concurrency_key": FETCH_POOL}


def provider_check(
    name: str,
    asset: str,
    description: str,
    blocking: bool = False,
    partitions_def: dg.PartitionsDefinition = provider_partitions,
) -> dg.AssetCheckSpec:
    """A check of one provider partition, partitioned like its asset: each provider has its
    own status, history and plots in the UI, and each evaluation carries its partition,
    which alerts and the CLI read. Declare every per-provider check through this.

    Partitioned checks are a preview feature of Dagster 1.13 (checked on 1.13.27); its
    warning is silenced here so that every process loading the code does not print it.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.PreviewWarning)
        return dg.AssetCheckSpec(
            name,
            asset=asset,
            blocking=blocking,
            description=description,
            partitions_def=partitions_def,
        )


FETCH_CHECKS = (
    provider_check(
        "schema_valid",
        "provider_models",
        "Items failing validation are counted; above the threshold: ERROR.",
        blocking=True,
    ),
    provider_check(
        "count_not_dropped",
        "provider_models",
        "Model count against the last good sync: WARN above 10%, ERROR above 50%.",
        blocking=True,
    ),
)

OFFER_CHECKS = (
    provider_check(
        "prices_sane",
        "normalized_models",
        "Per-token prices inside a plausible band, and no price that moved more than "
        "10x since the last good sync (the signature of a unit change).",
        blocking=True,
    ),
    provider_check(
        "names_valid",
        "normalized_models",
        "Display names without company prefix or type suffix (WARN).",
    ),
    provider_check(
        "one_price_per_canonical_id",
        "normalized_models",
        "No two offers of the provider share a canonical id at different prices: the "
        "identity rules would have merged models the provider keeps apart (ERROR).",
        blocking=True,
    ),
    provider_check(
        "zero_prices_suspect",
        "normalized_models",
        "Models listed at price 0 whose output is audio/video/music or whose description "
        "names a price per song, clip, image or second: the 0 is read as unknown (WARN).",
    ),
    provider_check(
        "price_sources_disagree",
        "normalized_models",
        "The provider's own prices, the reference sources', the routers' and the curated "
        "row's differ by more than 1% for an offer and field (WARN); the table shows each "
        "source's value in USD per 1M tokens.",
    ),
    provider_check(
        "provider_price_unit_bug",
        "normalized_models",
        "A price the provider publishes is 10x or more away from a price two reference "
        "sources agree on: a unit bug on one side (ERROR; the provider keeps its last good "
        "rows).",
        blocking=True,
    ),
)


IN_PROGRESS = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]


def refuse_if_partition_busy(context: dg.AssetExecutionContext) -> None:
    """One sync of a provider at a time: a run finding an earlier run of the same partition
    still in progress fails at once, with that run's id, instead of racing it.

    The instance's ``dagster/partition`` run limit (``dagster.yaml``) queues such runs when
    the daemon launches them; the CLI and ``materialize`` run in process, past the queue, so
    the asset itself refuses. Of two runs that start together the later-created one yields.
    """
    partition = context.partition_key
    records = context.instance.get_run_records(
        dg.RunsFilter(tags={"dagster/partition": partition}, statuses=IN_PROGRESS)
    )
    mine = next((r for r in records if r.dagster_run.run_id == context.run_id), None)
    order = (mine.create_timestamp, context.run_id) if mine else None
    earlier = [
        r.dagster_run.run_id
        for r in records
        if r.dagster_run.run_id != context.run_id
        and (order is None or (r.create_timestamp, r.dagster_run.run_id) < order)
    ]
    if earlier:
        raise dg.Failure(
            description=(
                f"provider {partition!r}: another sync of this provider is in progress (run "
                f"{earlier[0]}); this run was refused so that each run applies only what it "
                "fetched. Retry once that run has finished."
            ),
            metadata={"provider": partition, "running": earlier[0]},
            allow_retries=False,
        )


def run_scoped_asset(**kwargs: Any) -> Any:
    """``dg.asset`` whose outputs go to this run's own files (:mod:`.io_manager`).

    ``io_manager_def`` is a beta parameter in Dagster 1.13 (checked on 1.13.27); its warning
    is silenced here so that every process loading the code does not print it.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)
        return dg.asset(io_manager_def=RunScopedIOManager(), **kwargs)


@run_scoped_asset(
    partitions_def=provider_partitions,
    group_name="ingest",
    kinds={"python"},
    op_tags=FETCH_TAGS,
    check_specs=FETCH_CHECKS,
    description="A provider's model list as its API returns it: fetched, kept raw, parsed.",
)
def provider_models(
    context: dg.AssetExecutionContext,
    provider_client: ProviderClientResource,
    catalog_store: CatalogStoreResource,
    check_settings: CheckSettings,
) -> Iterator[Any]:
    spec = get_provider(context.partition_key)
    refuse_if_partition_busy(context)
    catalog_store.ensure_provider(provider_row(spec))
    try:
        with failures_recorded(catalog_store, spec.slug, context.run_id):
            fetched = fetch_and_check(
                provider_client, catalog_store, spec, check_settings, context.run_id
            )
    except ProviderError as error:
        raise dg.Failure(
            description=error.message,
            metadata={
                "provider": spec.slug,
                "status": failure_status(error),
                "failure_kind": str(error.kind),
                "url": error.url or spec.list_url,
                "http_status": error.status if error.status is not None else -1,
            },
        ) from None
    fetch, snapshot = fetched.fetch, fetched.snapshot
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
            "snapshot_id": snapshot.snapshot_id,
        },
    )
    for outcome in fetched.outcomes:
        yield check_result(outcome)


@run_scoped_asset(
    partitions_def=provider_partitions,
    group_name="ingest",
    kinds={"python"},
    check_specs=OFFER_CHECKS,
    description="The provider's models as offers: canonical ids, display names, USD per token.",
)
def normalized_models(
    context: dg.AssetExecutionContext,
    provider_models: ProviderSnapshot,
    catalog_store: CatalogStoreResource,
    check_settings: CheckSettings,
) -> Iterator[Any]:
    with failures_recorded(catalog_store, provider_models.provider, context.run_id):
        normalized = normalize_and_check(provider_models, check_settings)
    offers = normalized.snapshot.offers
    snapshot: NormalizedSnapshot = normalized.snapshot
    yield dg.Output(
        snapshot,
        metadata={
            "provider": snapshot.provider,
            "offers": len(offers),
            "unpriced": sum(1 for offer in offers if offer.prices.is_unpriced()),
            "canonical_models": len({offer.canonical_id for offer in offers}),
            "priced_fields": dg.MetadataValue.json(
                {
                    name: sum(1 for offer in offers if getattr(offer.prices, name) is not None)
                    for name in PRICE_FIELDS
                }
            ),
        },
    )
    for outcome in normalized.outcomes:
        yield check_result(outcome)
