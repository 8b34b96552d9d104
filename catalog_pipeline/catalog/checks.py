"""Checks on the catalog as a whole, evaluated each time the ``catalog`` asset refreshes."""

import datetime as dt
import statistics
from collections import defaultdict
from decimal import Decimal

import dagster as dg

from catalog_pipeline.catalog.assets import catalog
from catalog_pipeline.catalog.resolver import Resolver
from catalog_pipeline.catalog.units import decimal_str
from catalog_pipeline.catalog.watchlist import load_watchlist
from catalog_pipeline.ingest.check_settings import CheckSettings
from catalog_pipeline.providers.registry import provider_slugs
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.types import as_utc

MAX_ROWS = 60


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    if not rows:
        return "none"
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += [
        "| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows[:MAX_ROWS]
    ]
    if len(rows) > MAX_ROWS:
        lines.append(f"| … {len(rows) - MAX_ROWS} more |" + " |" * (len(header) - 1))
    return "\n".join(lines)


@dg.asset_check(
    asset=catalog,
    description=(
        "Every enabled provider has a successful sync younger than max_provider_age_hours. "
        "ERROR for providers that are failing or stale; WARN when the only gaps are "
        "providers without a key or never synced."
    ),
)
def missing_providers(
    catalog_store: CatalogStore, check_settings: CheckSettings
) -> dg.AssetCheckResult:
    now = dt.datetime.now(dt.UTC)
    max_age = dt.timedelta(hours=check_settings.max_provider_age_hours)
    states = {state["slug"]: state for state in catalog_store.provider_states()}
    rows, failing, unconfigured = [], [], []
    for slug in provider_slugs():
        state = states.get(slug, {})
        success = state.get("last_success_at")
        success = as_utc(success) if success else None
        status = state.get("last_status") or "never synced"
        fresh = success is not None and now - success <= max_age
        if fresh and status == "ok":
            continue
        if success is None and status in ("not_configured", "never synced"):
            unconfigured.append(slug)
            reason = status
        else:
            failing.append(slug)
            reason = "stale" if status == "ok" else status
        age = f"{(now - success).total_seconds() / 3600:.1f} h" if success else "never"
        rows.append((slug, reason, age, (state.get("last_error") or "")[:120]))
    return dg.AssetCheckResult(
        passed=not rows,
        severity=dg.AssetCheckSeverity.ERROR if failing else dg.AssetCheckSeverity.WARN,
        metadata={
            "missing_count": len(rows),
            "failing_count": len(failing),
            "not_configured_or_never_synced_count": len(unconfigured),
            "max_age_hours": check_settings.max_provider_age_hours,
            "providers": dg.MetadataValue.md(
                _table(("provider", "why", "last success", "last error"), rows)
            ),
        },
    )


@dg.asset_check(asset=catalog, description="Models with no known price, per provider (WARN).")
def unpriced_models(catalog_store: CatalogStore) -> dg.AssetCheckResult:
    totals: dict[str, int] = defaultdict(int)
    unpriced: dict[str, int] = defaultdict(int)
    for offer in catalog_store.offers():
        totals[offer["provider"]] += 1
        if offer["prompt"] is None and offer["per_image"] is None and offer["per_request"] is None:
            unpriced[offer["provider"]] += 1
    rows = [(p, unpriced[p], totals[p]) for p in sorted(unpriced, key=lambda p: -unpriced[p])]
    return dg.AssetCheckResult(
        passed=not unpriced,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "unpriced_count": sum(unpriced.values()),
            "models_count": sum(totals.values()),
            "by_provider": dg.MetadataValue.md(_table(("provider", "unpriced", "models"), rows)),
        },
    )


@dg.asset_check(
    asset=catalog,
    description=(
        "Offers whose prompt price is more than outlier_ratio times away from the median of "
        "the same canonical model across at least three providers (WARN)."
    ),
)
def price_outliers(
    catalog_store: CatalogStore, check_settings: CheckSettings
) -> dg.AssetCheckResult:
    ratio = Decimal(str(check_settings.outlier_ratio))
    groups: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for offer in catalog_store.offers():
        if offer["prompt"] is not None and offer["prompt"] > 0:
            groups[offer["canonical_id"]].append((offer["provider"], offer["prompt"]))
    rows = []
    for canonical, offers in sorted(groups.items()):
        if len({provider for provider, _ in offers}) < 3:
            continue
        median = statistics.median(price for _, price in offers)
        for provider, price in offers:
            if price > median * ratio or price * ratio < median:
                rows.append((canonical, provider, decimal_str(price), decimal_str(median)))
    return dg.AssetCheckResult(
        passed=not rows,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "outlier_count": len(rows),
            "compared_models": sum(1 for o in groups.values() if len({p for p, _ in o}) >= 3),
            "outliers": dg.MetadataValue.md(
                _table(("canonical model", "provider", "prompt USD/token", "median"), rows)
            ),
        },
    )


@dg.asset_check(
    asset=catalog,
    description=(
        "Every model on the requested-models watch list resolves. ERROR when one does not "
        "resolve at all (the gateway has no price to bill); WARN when it resolves to an "
        "unpriced, missing or deprecated offer."
    ),
)
def requested_models_resolve(catalog_store: CatalogStore) -> dg.AssetCheckResult:
    resolver = Resolver(catalog_store.offers(("active", "missing", "deprecated")))
    rows = []
    unresolved = degraded = 0
    for watched in load_watchlist():
        answer = resolver.resolve(watched.model_id, watched.provider)
        if not answer.found:
            unresolved += 1
            rows.append((watched.model_id, "not found", ", ".join(answer.candidates[:3]), ""))
            continue
        chosen = answer.offers[0]
        priced = any(value is not None for value in chosen.pricing.values())
        state = chosen.status if chosen.status != "active" else ("ok" if priced else "unpriced")
        degraded += state != "ok"
        offer = f"{answer.provider}: {chosen.provider_model_id} ({answer.match})"
        rows.append((watched.model_id, state, answer.canonical_id, offer))
    return dg.AssetCheckResult(
        passed=unresolved == 0 and degraded == 0,
        severity=dg.AssetCheckSeverity.ERROR if unresolved else dg.AssetCheckSeverity.WARN,
        metadata={
            "watched_count": len(rows),
            "unresolved_count": unresolved,
            "unpriced_or_retired_count": degraded,
            "models": dg.MetadataValue.md(
                _table(("requested", "state", "resolves to", "offer"), rows)
            ),
        },
    )


CATALOG_CHECKS = [missing_providers, unpriced_models, price_outliers, requested_models_resolve]
