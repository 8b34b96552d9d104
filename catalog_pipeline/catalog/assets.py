"""The models table, written per provider, and the catalog as a whole."""

import datetime as dt

import dagster as dg

from catalog_pipeline.ingest.partitions import provider_partitions
from catalog_pipeline.ingest.snapshot import NormalizedSnapshot
from catalog_pipeline.store.catalog_store import CatalogStore, ChangeSummary
from catalog_pipeline.store.types import as_utc

MAX_TABLE_ROWS = 50


def change_table(summary: ChangeSummary) -> str:
    """Markdown table of what changed, for the Dagster UI."""
    lines = ["| change | model | before | after |", "|---|---|---|---|"]
    for model_id in summary.added[:MAX_TABLE_ROWS]:
        lines.append(f"| added | `{model_id}` | | |")
    for model_id, old, new in summary.repriced[:MAX_TABLE_ROWS]:
        before = ", ".join(f"{k}={v}" for k, v in old.items() if v is not None and old[k] != new[k])
        after = ", ".join(f"{k}={v}" for k, v in new.items() if v is not None and old[k] != new[k])
        lines.append(f"| repriced | `{model_id}` | {before} | {after} |")
    for model_id in summary.missing[:MAX_TABLE_ROWS]:
        lines.append(f"| missing | `{model_id}` | | |")
    for model_id in summary.deprecated[:MAX_TABLE_ROWS]:
        lines.append(f"| deprecated | `{model_id}` | | |")
    if len(lines) == 2:
        return "No changes."
    return "\n".join(lines)


@dg.asset(
    partitions_def=provider_partitions,
    group_name="catalog",
    kinds={"sql"},
    description=(
        "The provider's rows of the models table, replaced in one transaction from the "
        "latest snapshot that passed its blocking checks. A failed provider keeps its rows."
    ),
)
def models(
    context: dg.AssetExecutionContext,
    normalized_models: NormalizedSnapshot,
    catalog_store: CatalogStore,
) -> dg.MaterializeResult:
    summary = catalog_store.apply_offers(
        normalized_models.provider, normalized_models.offers, normalized_models.snapshot_id
    )
    context.log.info(
        f"{normalized_models.provider}: {len(summary.added)} added, {len(summary.repriced)} "
        f"repriced, {len(summary.missing)} missing, {summary.rows_written} rows written"
    )
    return dg.MaterializeResult(
        metadata={
            "provider": normalized_models.provider,
            "offers": len(normalized_models.offers),
            "added": len(summary.added),
            "repriced": len(summary.repriced),
            "updated": len(summary.updated),
            "missing": len(summary.missing),
            "deprecated": len(summary.deprecated),
            "unchanged": summary.unchanged,
            "rows_written": summary.rows_written,
            "catalog_version": summary.catalog_version,
            "changes": dg.MetadataValue.md(change_table(summary)),
        }
    )


@dg.asset(
    deps=[models],
    group_name="catalog",
    kinds={"sql"},
    description="The whole catalog: provider coverage, staleness and size after the last sync.",
)
def catalog(catalog_store: CatalogStore) -> dg.MaterializeResult:
    states = catalog_store.provider_states()
    now = dt.datetime.now(dt.UTC)
    lines = ["| provider | status | models | last success | error |", "|---|---|---|---|---|"]
    stale = []
    for state in states:
        success = state["last_success_at"]
        if state["last_status"] != "ok":
            stale.append(state["slug"])
        age = f"{(now - as_utc(success)).total_seconds() / 3600:.1f} h ago" if success else "never"
        error = (state["last_error"] or "").replace("|", "/")[:120]
        lines.append(
            f"| {state['slug']} | {state['last_status'] or 'never run'} | "
            f"{state['model_count'] or 0} | {age} | {error} |"
        )
    return dg.MaterializeResult(
        metadata={
            "models_table_rows": catalog_store.model_count(),
            "catalog_version": catalog_store.catalog_version(),
            "providers_ok": sum(1 for s in states if s["last_status"] == "ok"),
            "stale_providers": dg.MetadataValue.json(stale),
            "providers": dg.MetadataValue.md("\n".join(lines)),
            "database": catalog_store.display_url,
        }
    )
