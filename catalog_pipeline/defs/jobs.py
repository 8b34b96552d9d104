"""The jobs a schedule, a sensor or a person launches for the regular sync."""

import dagster as dg

from catalog_pipeline.defs.catalog import catalog, models
from catalog_pipeline.defs.ingest import normalized_models, provider_models
from catalog_pipeline.defs.partitions import provider_partitions, reference_partitions
from catalog_pipeline.defs.references import reference_prices

PROVIDER_ASSETS = [provider_models, normalized_models, models]

sync_provider_job = dg.define_asset_job(
    name="sync_provider",
    selection=dg.AssetSelection.assets(*PROVIDER_ASSETS),
    partitions_def=provider_partitions,
    description="Fetch, check, normalize and write one provider (one run per partition).",
    tags={"catalog/kind": "provider_sync"},
)

refresh_catalog_job = dg.define_asset_job(
    name="refresh_catalog",
    selection=dg.AssetSelection.assets(catalog) | dg.AssetSelection.checks_for_assets(catalog),
    description="Recompute the catalog-wide summary and checks after provider syncs.",
)

sync_reference_job = dg.define_asset_job(
    name="sync_reference",
    selection=dg.AssetSelection.assets(reference_prices),
    partitions_def=reference_partitions,
    description="Fetch, check and store one reference price source, then reprice the offers.",
    tags={"catalog/kind": "reference_sync"},
)
