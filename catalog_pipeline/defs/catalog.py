"""The models table, written per provider, and the catalog as a whole with its checks."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import dagster as dg

from catalog_pipeline.defs.check_results import check_result, table_value
from catalog_pipeline.defs.ingest import provider_check
from catalog_pipeline.defs.partitions import provider_partitions
from catalog_pipeline.defs.references import reference_prices
from catalog_pipeline.defs.resources import CatalogStoreResource, CheckSettings
from catalog_pipeline.domain.resolution import Resolver
from catalog_pipeline.domain.watchlist import load_watchlist
from catalog_pipeline.pipeline import catalog_checks
from catalog_pipeline.pipeline.outcome import Table
from catalog_pipeline.pipeline.pricing import ROUTERS, reprice_publishers_of, repricing_sane
from catalog_pipeline.pipeline.registration import provider_rows
from catalog_pipeline.pipeline.snapshot import NormalizedSnapshot
from catalog_pipeline.pipeline.sync import failures_recorded
from catalog_pipeline.providers.references.registry import source_slugs
from catalog_pipeline.providers.registry import PROVIDERS, provider_slugs
from catalog_pipeline.store.diff import ChangeSummary
from catalog_pipeline.store.types import as_utc

ALL_STATUSES = ("active", "missing", "deprecated")


def change_table(summary: ChangeSummary) -> Table:
    """What one provider update changed, for the UI."""
    rows: list[tuple[str, str, str, str]] = []
    rows += [("added", model_id, "", "") for model_id in summary.added]
    for model_id, old, new in summary.repriced:
        changed = [k for k in new if old[k] != new[k]]
        before = ", ".join(f"{k}={old[k]}" for k in changed if old[k] is not None)
        after = ", ".join(f"{k}={new[k]}" for k in changed if new[k] is not None)
        rows.append(("repriced", model_id, before, after))
    rows += [("missing", model_id, "", "") for model_id in summary.missing]
    rows += [("deprecated", model_id, "", "") for model_id in summary.deprecated]
    return Table.of(("change", "model", "before", "after"), rows, limit=50)


REPRICING_CHECK = provider_check(
    "repriced_prices_sane",
    "models",
    "A router's write reprices the publishers it is a reference for (OpenRouter's price for "
    "openai/gpt-4o prices OpenAI's gpt-4o); new prices failing a sync's price rules are held "
    "back (ERROR) and those offers keep their stored prices. Other providers: always passes.",
)


@dg.asset(
    partitions_def=provider_partitions,
    group_name="catalog",
    kinds={"sql"},
    check_specs=[REPRICING_CHECK],
    description=(
        "The provider's rows of the models table, replaced in one transaction from the "
        "latest snapshot that passed its blocking checks. A failed provider keeps its rows."
    ),
)
def models(
    context: dg.AssetExecutionContext,
    normalized_models: NormalizedSnapshot,
    catalog_store: CatalogStoreResource,
    check_settings: CheckSettings,
) -> dg.MaterializeResult:
    with failures_recorded(catalog_store, normalized_models.provider, context.run_id):
        summary = catalog_store.apply_offers(
            normalized_models.provider,
            normalized_models.offers,
            normalized_models.snapshot_id,
            normalized_models.stored,
        )
    provider = normalized_models.provider
    publishers = (
        reprice_publishers_of(catalog_store, provider, check_settings)
        if provider in ROUTERS
        else {}
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
            "changes": table_value(change_table(summary)),
            "publishers_repriced": dg.MetadataValue.json(
                {
                    slug: len(r.summary.repriced) if r.summary else 0
                    for slug, r in publishers.items()
                }
            ),
        },
        check_results=[
            check_result(
                repricing_sane(provider, publishers)
                if provider in ROUTERS
                else repricing_sane(f"{provider} (a router's write only)", {})
            )
        ],
    )


CATALOG_CHECKS = (
    dg.AssetCheckSpec(
        "missing_providers",
        asset="catalog",
        description=(
            "Every enabled provider has a successful sync younger than max_provider_age_hours. "
            "ERROR for providers that are failing or stale; WARN when the only gaps are "
            "providers without a key or never synced."
        ),
    ),
    dg.AssetCheckSpec(
        "reference_sources_fresh",
        asset="catalog",
        description=(
            "Every reference source fetched before has a successful fetch younger than "
            "max_provider_age_hours (WARN): a stale source keeps pricing offers with old prices."
        ),
    ),
    dg.AssetCheckSpec(
        "unpriced_models", asset="catalog", description="Models with no known price (WARN)."
    ),
    dg.AssetCheckSpec(
        "price_outliers",
        asset="catalog",
        description=(
            "Offers whose prompt price is more than outlier_ratio times away from the median "
            "of the same canonical model across at least three providers (WARN)."
        ),
    ),
    dg.AssetCheckSpec(
        "requested_models_resolve",
        asset="catalog",
        description=(
            "Every model on the requested-models watch list resolves. ERROR when one does not "
            "resolve at all (the gateway has no price to bill); WARN when it resolves to an "
            "unpriced, missing or deprecated offer."
        ),
    ),
    dg.AssetCheckSpec(
        "overrides_expired",
        asset="catalog",
        description=(
            "Operator price overrides past their expiry: they no longer apply (WARN until "
            "renewed or removed; each expiry is audited once)."
        ),
    ),
)


REFRESH_GRACE_CRON = "*/30 * * * *"

CATALOG_REFRESH = (
    dg.AutomationCondition.any_deps_updated().since(
        dg.AutomationCondition.newly_requested() | dg.AutomationCondition.newly_updated()
    )
    & (
        ~dg.AutomationCondition.any_deps_in_progress()
        | dg.AutomationCondition.cron_tick_passed(REFRESH_GRACE_CRON).since(
            dg.AutomationCondition.any_deps_updated()
        )
    )
    & ~dg.AutomationCondition.in_progress()
).with_label("a provider wrote since the last refresh, and the syncs settled or 30 min passed")
"""Refresh the catalog once provider writes settle.

A ``models`` partition written since the catalog was last requested, and either no
provider run in progress, or a half-hour tick passed since the last provider write (so one
stuck provider holds the catalog back at most about 30 minutes); never while a refresh is
already queued or running. A refresh during stragglers is followed by another once they
finish, because their writes count as new updates.
"""


@dg.asset(
    deps=[models, reference_prices],
    group_name="catalog",
    kinds={"sql"},
    check_specs=CATALOG_CHECKS,
    automation_condition=CATALOG_REFRESH,
    description=(
        "The whole catalog: provider coverage, staleness and size after the last sync, and "
        "the catalog-wide checks, all from one read of the models table."
    ),
)
def catalog(
    context: dg.AssetExecutionContext,
    catalog_store: CatalogStoreResource,
    check_settings: CheckSettings,
) -> Iterator[Any]:
    catalog_store.register_providers(provider_rows(PROVIDERS))
    states = catalog_store.provider_states()
    reference_states = catalog_store.reference_states()
    offers = catalog_store.offers(ALL_STATUSES)
    now = dt.datetime.now(dt.UTC)
    newly_expired = catalog_store.record_override_expiries(now, context.run_id)
    overrides = catalog_store.overrides()
    rows = []
    for state in states:
        success = state["last_success_at"]
        age = f"{(now - as_utc(success)).total_seconds() / 3600:.1f} h ago" if success else "never"
        rows.append(
            (
                state["slug"],
                state["last_status"] or "never run",
                state["model_count"] or 0,
                age,
                (state["last_error"] or "")[:200],
            )
        )
    yield dg.MaterializeResult(
        metadata={
            "models_table_rows": len(offers),
            "catalog_version": catalog_store.catalog_version(),
            "providers_ok": sum(1 for s in states if s["last_status"] == "ok"),
            "stale_providers": dg.MetadataValue.json(
                [s["slug"] for s in states if s["last_status"] != "ok"]
            ),
            "providers": table_value(
                Table.of(("provider", "status", "models", "last success", "error"), rows)
            ),
            "reference_sources": table_value(
                Table.of(
                    ("source", "status", "roster models priced", "fetched", "error"),
                    [
                        (
                            slug,
                            state["status"],
                            state["observation_count"] or 0,
                            as_utc(state["fetched_at"]).isoformat(timespec="minutes"),
                            (state["error"] or "")[:200],
                        )
                        for slug, state in sorted(reference_states.items())
                    ],
                )
            ),
            "database": catalog_store.display_url,
            "overrides": len(overrides),
            "overrides_newly_expired": len(newly_expired),
        }
    )
    active = catalog_checks.offers_frame(o for o in offers if o["status"] == "active")
    outcomes = (
        catalog_checks.missing_providers(states, provider_slugs(), check_settings, now),
        catalog_checks.reference_sources_fresh(
            reference_states, source_slugs(), check_settings, now
        ),
        catalog_checks.unpriced_models(active),
        catalog_checks.price_outliers(active, check_settings),
        catalog_checks.requested_models_resolve(Resolver(offers), load_watchlist()),
        catalog_checks.overrides_expired(overrides, now),
    )
    for outcome in outcomes:
        yield check_result(outcome)


refresh_catalog_automation = dg.AutomationConditionSensorDefinition(
    "refresh_catalog_automation",
    target=dg.AssetSelection.assets(catalog),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Evaluates the catalog asset's refresh condition (CATALOG_REFRESH).",
)
