"""Blocking checks on each provider partition: bad data never reaches the models table.

The checks run inside the partition's own asset step (declared as ``check_specs``), so
each sees exactly that partition's data. An ERROR result of a blocking check fails the
run before ``models`` is written and the provider's last good rows stay; WARN results are
recorded and alerted on but let data flow.
"""

from decimal import Decimal

import dagster as dg

from catalog_pipeline.catalog.names import name_problems
from catalog_pipeline.catalog.rows import TOKEN_PRICE_FIELDS
from catalog_pipeline.catalog.units import decimal_str
from catalog_pipeline.ingest.check_settings import CheckSettings
from catalog_pipeline.ingest.snapshot import NormalizedSnapshot, ProviderSnapshot

MAX_LISTED = 30

FETCH_CHECKS = (
    dg.AssetCheckSpec(
        "schema_valid",
        asset="provider_models",
        blocking=True,
        description="Items failing validation are counted; above the threshold: ERROR.",
    ),
    dg.AssetCheckSpec(
        "count_not_dropped",
        asset="provider_models",
        blocking=True,
        description="Model count against the last good sync: WARN above 10%, ERROR above 50%.",
    ),
)

OFFER_CHECKS = (
    dg.AssetCheckSpec(
        "prices_sane",
        asset="normalized_models",
        blocking=True,
        description=(
            "Per-token prices inside a plausible band, and no price that moved more than "
            "10x since the last good sync (the signature of a unit change)."
        ),
    ),
    dg.AssetCheckSpec(
        "names_valid",
        asset="normalized_models",
        description="Display names without company prefix or type suffix (WARN).",
    ),
)


def _md_list(title: str, items: list[str]) -> str:
    if not items:
        return f"**{title}**: none"
    shown = "\n".join(f"- `{item}`" for item in items[:MAX_LISTED])
    more = f"\n- … and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else ""
    return f"**{title}** ({len(items)}):\n{shown}{more}"


def schema_valid(snapshot: ProviderSnapshot, settings: CheckSettings) -> dg.AssetCheckResult:
    total = snapshot.item_count
    fraction = snapshot.rejected_count / total if total else 1.0
    lines = [
        f"| {r.index} | `{(r.provider_model_id or '?')[:80]}` | {r.error[:160]} |"
        for r in snapshot.rejected[:MAX_LISTED]
    ]
    table = "| item | id | error |\n|---|---|---|\n" + "\n".join(lines) if lines else "none"
    return dg.AssetCheckResult(
        check_name="schema_valid",
        passed=fraction <= settings.max_rejected_fraction,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "provider": snapshot.provider,
            "items": total,
            "rejected": snapshot.rejected_count,
            "rejected_fraction": round(fraction, 4),
            "threshold": settings.max_rejected_fraction,
            "rejected_rows": dg.MetadataValue.md(table),
        },
    )


def count_not_dropped(
    snapshot: ProviderSnapshot, previous: set[str], settings: CheckSettings
) -> dg.AssetCheckResult:
    """``previous`` is the provider's active model ids from the last good sync."""
    current = {row.provider_model_id for row in snapshot.rows}
    disappeared = sorted(previous - current)
    appeared = sorted(current - previous)
    drop = len(disappeared) / len(previous) if previous else 0.0
    error_at = settings.drop_error_for(snapshot.provider)
    if drop > error_at:
        passed, severity = False, dg.AssetCheckSeverity.ERROR
    elif drop > settings.count_drop_warn:
        passed, severity = False, dg.AssetCheckSeverity.WARN
    else:
        passed, severity = True, dg.AssetCheckSeverity.ERROR
    return dg.AssetCheckResult(
        check_name="count_not_dropped",
        passed=passed,
        severity=severity,
        metadata={
            "provider": snapshot.provider,
            "previous_count": len(previous),
            "current_count": len(current),
            "disappeared_count": len(disappeared),
            "appeared_count": len(appeared),
            "drop_fraction": round(drop, 4),
            "warn_above": settings.count_drop_warn,
            "error_above": error_at,
            "changes": dg.MetadataValue.md(
                _md_list("Disappeared", disappeared) + "\n\n" + _md_list("Appeared", appeared)
            ),
        },
    )


def prices_sane(
    snapshot: NormalizedSnapshot,
    stored: dict[str, dict[str, Decimal | None]],
    settings: CheckSettings,
) -> dg.AssetCheckResult:
    """``stored`` maps provider_model_id to the prices of the last good sync."""
    low, high = settings.token_price_band
    ratio = Decimal(str(settings.max_price_move_ratio))
    out_of_band: list[str] = []
    moved: list[str] = []
    for offer in snapshot.offers:
        previous = stored.get(offer.provider_model_id) or {}
        for name in TOKEN_PRICE_FIELDS:
            price = getattr(offer.prices, name)
            if price is None:
                continue
            if price > high or (0 < price < low):
                out_of_band.append(f"{offer.provider_model_id} {name}={decimal_str(price)}")
            old = previous.get(name)
            if old and price and (price / old > ratio or old / price > ratio):
                moved.append(
                    f"{offer.provider_model_id} {name}: {decimal_str(old)} -> {decimal_str(price)}"
                )
    return dg.AssetCheckResult(
        check_name="prices_sane",
        passed=not out_of_band and not moved,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "provider": snapshot.provider,
            "out_of_band_count": len(out_of_band),
            "moved_count": len(moved),
            "band_usd_per_token": f"{decimal_str(low)} .. {decimal_str(high)}",
            "max_move_ratio": settings.max_price_move_ratio,
            "problems": dg.MetadataValue.md(
                _md_list("Outside the band", out_of_band)
                + "\n\n"
                + _md_list(f"Moved more than {settings.max_price_move_ratio}x", moved)
            ),
        },
    )


def names_valid(snapshot: NormalizedSnapshot) -> dg.AssetCheckResult:
    bad = [
        f"{offer.display_name!r} ({', '.join(problems)})"
        for offer in snapshot.offers
        if (problems := name_problems(offer.display_name))
    ]
    return dg.AssetCheckResult(
        check_name="names_valid",
        passed=not bad,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "provider": snapshot.provider,
            "malformed_count": len(bad),
            "malformed": dg.MetadataValue.md(_md_list("Malformed names", bad)),
        },
    )
