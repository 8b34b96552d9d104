"""Export files as Dagster assets downstream of the catalog."""

from pathlib import Path

import dagster as dg
from pydantic import Field

from catalog_pipeline.defs.catalog import catalog
from catalog_pipeline.defs.resources import CatalogStoreResource
from catalog_pipeline.exports.run import FILE_NAMES, export_catalog
from catalog_pipeline.settings import data_dir


class ExportConfig(dg.Config):
    output_dir: str | None = Field(
        default=None, description="Folder for the export files; default $CATALOG_DATA_DIR/exports."
    )


def _export_asset(format: str, name: str, kind: str, description: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=name, deps=[catalog], group_name="exports", kinds={kind}, description=description
    )
    def _asset(config: ExportConfig, catalog_store: CatalogStoreResource) -> dg.MaterializeResult:
        folder = Path(config.output_dir) if config.output_dir else data_dir() / "exports"
        path = folder / FILE_NAMES[format]
        catalog_store.engine()  # migrated before the read
        rendered = export_catalog(catalog_store.url, format, path)
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(path)),
                "entries": rendered.entries,
                "catalog_version": rendered.catalog_version,
                "sha256": rendered.sha256,
                "skipped": dg.MetadataValue.json(rendered.skipped),
            }
        )

    return _asset


litellm_cost_map = _export_asset(
    "litellm",
    "litellm_cost_map",
    "json",
    "Active priced offers as a LiteLLM model cost map (load with litellm.register_model).",
)
openrouter_models = _export_asset(
    "openrouter",
    "openrouter_models",
    "json",
    "Active offers in the shape of OpenRouter's /api/v1/models, prices as USD-per-token strings.",
)
models_csv = _export_asset(
    "csv", "models_csv", "csv", "Every row of the models table as CSV, exact decimal prices."
)

EXPORT_ASSETS = [litellm_cost_map, openrouter_models, models_csv]

export_catalog_job = dg.define_asset_job(
    name="export_catalog",
    selection=dg.AssetSelection.assets(*EXPORT_ASSETS),
    description="Write the LiteLLM, OpenRouter-style and CSV exports of the current catalog.",
)
