"""Checks on the catalog as a whole, computed from one read of the models table.

The offers arrive as one pandas frame (a row per offer): per-provider counts and
per-model medians are group-bys, not hand-kept dictionaries. Prices stay ``Decimal``
(object columns); nothing here goes through float.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd

from catalog_pipeline.domain.overrides import PriceOverride, per_input_unit
from catalog_pipeline.domain.resolution import Resolver
from catalog_pipeline.domain.units import decimal_str
from catalog_pipeline.domain.watchlist import WatchedModel
from catalog_pipeline.pipeline.check_settings import CheckThresholds
from catalog_pipeline.pipeline.outcome import CheckOutcome, Table, clip, count, first
from catalog_pipeline.store.types import as_utc


def offers_frame(offers: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """The offers as a frame with the columns the catalog checks read."""
    columns = ["provider", "provider_model_id", "canonical_id", "prompt", "per_image"]
    columns += ["per_request", "status"]
    return pd.DataFrame.from_records(
        [{name: offer.get(name) for name in columns} for offer in offers], columns=columns
    )


def _mask(frame: pd.DataFrame, flags: list[bool]) -> pd.Series:
    """A boolean row mask that stays a mask when the frame is empty."""
    return pd.Series(flags, index=frame.index, dtype=bool)


def missing_providers(
    states: Iterable[Mapping[str, Any]],
    enabled: Iterable[str],
    settings: CheckThresholds,
    now: dt.datetime,
) -> CheckOutcome:
    """Every enabled provider has a successful sync younger than ``max_provider_age_hours``.

    ERROR when a provider is failing or stale; WARN when the only gaps are providers
    without a key or never synced (nothing was lost, nothing is stale).
    """
    max_age = dt.timedelta(hours=settings.max_provider_age_hours)
    by_slug = {state["slug"]: state for state in states}
    rows: list[tuple[str, str, str, str]] = []
    failing: list[str] = []
    unconfigured: list[str] = []
    for slug in enabled:
        state = by_slug.get(slug, {})
        success = state.get("last_success_at")
        success = as_utc(success) if success else None
        status = state.get("last_status") or "never synced"
        if success is not None and now - success <= max_age and status == "ok":
            continue
        if success is None and status in ("not_configured", "never synced"):
            unconfigured.append(slug)
            reason = status
        else:
            failing.append(slug)
            reason = "stale" if status == "ok" else status
        age = f"{(now - success).total_seconds() / 3600:.1f} h" if success else "never"
        rows.append((slug, reason, age, (state.get("last_error") or "")[:200]))
    if failing:
        described = [
            f"{slug} ({reason}: {clip(error, 160)})"
            if error
            else f"{slug} ({reason}, last success {age})"
            for slug, reason, age, error in rows
            if slug in failing
        ]
        summary = (
            f"{count(len(failing), 'provider')} failing or stale (no successful sync in "
            f"{settings.max_provider_age_hours:g} h): {first(described, 3)}; their last good "
            "rows, if any, are still served"
        )
        if unconfigured:
            summary += f"; {len(unconfigured)} more not configured or never synced"
    elif unconfigured:
        summary = (
            f"{count(len(unconfigured), 'provider')} not configured or never synced: "
            f"{first(unconfigured, 5)}; set their API keys to sync them"
        )
    else:
        summary = "every enabled provider synced successfully in time"
    return CheckOutcome(
        name="missing_providers",
        passed=not rows,
        severity="ERROR" if failing else "WARN",
        summary=summary,
        metadata={
            "missing_count": len(rows),
            "failing_count": len(failing),
            "not_configured_or_never_synced_count": len(unconfigured),
            "max_age_hours": settings.max_provider_age_hours,
            "providers": Table.of(("provider", "why", "last success", "last error"), rows),
        },
    )


def reference_sources_fresh(
    states: Mapping[str, Mapping[str, Any]],
    sources: Iterable[str],
    settings: CheckThresholds,
    now: dt.datetime,
) -> CheckOutcome:
    """Every reference source that was ever fetched has a successful fetch younger than
    ``max_provider_age_hours`` and its latest fetch succeeded (WARN otherwise).

    A stale source keeps pricing offers with what it said then: OpenAI's and Anthropic's
    list APIs have no prices, so a LiteLLM file days old can bill yesterday's price after a
    change. A source never fetched is listed but passes: nothing it said is in use.
    """
    max_age = dt.timedelta(hours=settings.max_provider_age_hours)
    rows: list[tuple[str, str, str, str]] = []
    never: list[str] = []
    for slug in sources:
        state = states.get(slug)
        if state is None:
            never.append(slug)
            continue
        success = state.get("last_success_at")
        success = as_utc(success) if success else None
        if success is not None and now - success <= max_age and state["status"] == "ok":
            continue
        age = f"{(now - success).total_seconds() / 3600:.1f} h" if success else "never"
        reason = "stale" if state["status"] == "ok" else str(state["status"])
        rows.append((slug, reason, age, clip(state.get("error") or "", 200)))
    if rows:
        summary = (
            f"{count(len(rows), 'reference source')} stale or failing (no successful fetch "
            f"in {settings.max_provider_age_hours:g} h, or the latest failed): "
            + first([f"{slug} ({reason}, last success {age})" for slug, reason, age, _ in rows])
            + "; offers keep the prices it gave then"
        )
    else:
        summary = "every reference source fetched successfully in time"
    if never:
        summary += f"; never fetched: {first(never, 5)}"
    return CheckOutcome(
        name="reference_sources_fresh",
        passed=not rows,
        severity="WARN",
        summary=summary,
        metadata={
            "stale_count": len(rows),
            "never_fetched": ", ".join(never),
            "max_age_hours": settings.max_provider_age_hours,
            "sources": Table.of(("source", "why", "last success", "last error"), rows),
        },
    )


def unpriced_models(frame: pd.DataFrame) -> CheckOutcome:
    """Offers with no known price (prompt, per image or per request), per provider (WARN)."""
    unpriced = frame["prompt"].isna() & frame["per_image"].isna() & frame["per_request"].isna()
    counts = (
        frame.assign(unpriced=unpriced)
        .groupby("provider")
        .agg(unpriced=("unpriced", "sum"), models=("unpriced", "size"))
    )
    counts = counts[counts["unpriced"] > 0].sort_values("unpriced", ascending=False)
    examples = [
        f"{provider} {model_id}"
        for provider, model_id in frame.loc[unpriced, ["provider", "provider_model_id"]]
        .sort_values(["provider", "provider_model_id"])
        .itertuples(index=False)
    ]
    total = int(counts["unpriced"].sum())
    by_provider = [f"{p} {int(row.unpriced)} of {int(row.models)}" for p, row in counts.iterrows()]
    summary = (
        f"{total} of {count(len(frame), 'active offer')} have no known price (no token, image "
        f"or request price); by provider: {first(by_provider, 5)}; e.g. {first(examples)}"
        if total
        else f"every one of {count(len(frame), 'active offer')} has a price"
        if len(frame)
        else "no active offers in the models table yet"
    )
    return CheckOutcome(
        name="unpriced_models",
        passed=total == 0,
        severity="WARN",
        summary=summary,
        metadata={
            "unpriced_count": total,
            "models_count": len(frame),
            "by_provider": Table.of(
                ("provider", "unpriced", "models"),
                [(p, int(row.unpriced), int(row.models)) for p, row in counts.iterrows()],
            ),
        },
    )


def price_outliers(frame: pd.DataFrame, settings: CheckThresholds) -> CheckOutcome:
    """Offers whose prompt price is more than ``outlier_ratio`` from the median of the
    same canonical model across at least three providers (WARN)."""
    ratio = Decimal(str(settings.outlier_ratio))
    priced = frame.loc[_mask(frame, [price is not None and price > 0 for price in frame["prompt"]])]
    providers = priced.groupby("canonical_id")["provider"].transform("nunique")
    compared = priced.loc[providers >= 3].copy()
    compared["median"] = compared.groupby("canonical_id")["prompt"].transform(statistics.median)
    outlying = compared.loc[
        _mask(
            compared,
            [
                price > median * ratio or price * ratio < median
                for price, median in zip(compared["prompt"], compared["median"], strict=True)
            ],
        )
    ].sort_values(["canonical_id", "provider"])
    rows = [
        (row.canonical_id, row.provider, decimal_str(row.prompt), decimal_str(row.median))
        for row in outlying.itertuples()
    ]
    summary = (
        f"{count(len(rows), 'offer')} more than {settings.outlier_ratio:g}x from the median "
        f"prompt price of the same model at 3 or more providers: "
        f"{first([f'{r[1]} {r[0]} {r[2]} USD/token (median {r[3]})' for r in rows])}"
        if rows
        else "no prompt price far from its model's median"
    )
    return CheckOutcome(
        name="price_outliers",
        passed=not rows,
        severity="WARN",
        summary=summary,
        metadata={
            "outlier_count": len(rows),
            "compared_models": int(compared["canonical_id"].nunique()),
            "outliers": Table.of(
                ("canonical model", "provider", "prompt USD/token", "median"), rows
            ),
        },
    )


def requested_models_resolve(resolver: Resolver, watched: Iterable[WatchedModel]) -> CheckOutcome:
    """Every model on the watch list resolves the way a gateway would ask for it (the same
    :class:`Resolver`, the entry's provider binding): ERROR when one is ``not_found`` or
    ``ambiguous`` (the gateway has no price to bill); WARN when it resolves to an unpriced,
    missing or deprecated offer."""
    rows: list[tuple[str, str, str, str]] = []
    unresolved: list[str] = []
    degraded: list[str] = []
    for entry in watched:
        answer = resolver.resolve(entry.model_id, entry.provider)
        chosen = answer.offer
        if chosen is None:
            unresolved.append(f"{entry.model_id} ({answer.status})")
            listed = [
                f"{a.offer.provider}: {a.offer.provider_model_id}" for a in answer.alternatives
            ]
            rows.append(
                (
                    entry.model_id,
                    answer.status,
                    answer.canonical_id or "",
                    first(listed or list(answer.candidates)),
                )
            )
            continue
        state = answer.status if answer.status != "priced" else "ok"
        if state == "ok" and chosen.status != "active":
            state = chosen.status
        if state != "ok":
            degraded.append(f"{entry.model_id} ({state} at {chosen.provider})")
        offer = (
            f"{chosen.provider}: {chosen.provider_model_id} ({answer.match}, {answer.chosen_by})"
        )
        rows.append((entry.model_id, state, answer.canonical_id or "", offer))
    parts = []
    if unresolved:
        parts.append(
            f"{count(len(unresolved), 'watched id')} {_resolve(unresolved)} to nothing "
            f"(a gateway has no price to bill): {first(unresolved)}"
        )
    if degraded:
        parts.append(
            f"{count(len(degraded), 'watched id')} {_resolve(degraded)} to no billable price: "
            f"{first(degraded)}"
        )
    summary = "; ".join(parts) or (
        f"every watched id resolves to a priced offer ({count(len(rows), 'id')})"
    )
    return CheckOutcome(
        name="requested_models_resolve",
        passed=not unresolved and not degraded,
        severity="ERROR" if unresolved else "WARN",
        summary=summary,
        metadata={
            "watched_count": len(rows),
            "unresolved_count": len(unresolved),
            "unpriced_or_retired_count": len(degraded),
            "models": Table.of(
                ("requested", "state", "resolves to", "offer or alternatives"), rows
            ),
        },
    )


def overrides_expired(overrides: Sequence[PriceOverride], now: dt.datetime) -> CheckOutcome:
    """Operator overrides past their expiry (WARN): they no longer apply, so the offer takes
    its sources' price again at the provider's next sync. The check fails until each is
    renewed (``override set``) or removed (``override remove``); the alert goes out once."""
    expired = sorted(
        (o for o in overrides if not o.active(now)),
        key=lambda o: (o.provider, o.provider_model_id),
    )
    rows = [
        (
            o.provider,
            o.provider_model_id,
            ", ".join(f"{name}={per_input_unit(name, v)}" for name, v in o.prices.items()),
            o.reason,
            o.created_by,
            o.created_at.isoformat(),
            o.expires_at.isoformat() if o.expires_at else "",
        )
        for o in expired
    ]
    described = [
        f"{o.provider} {o.provider_model_id} ({o.reason} by {o.created_by}, expired "
        f"{o.expires_at:%Y-%m-%dT%H:%MZ})"
        for o in expired
        if o.expires_at is not None
    ]
    summary = (
        f"{count(len(expired), 'operator override')} expired and no longer "
        f"{'applies' if len(expired) == 1 else 'apply'}: {first(described)}; the offer takes "
        "its sources' price at the provider's next sync; renew it with `override set` or "
        "drop it with `override remove`"
        if expired
        else "no operator override has expired"
    )
    return CheckOutcome(
        name="overrides_expired",
        passed=not expired,
        severity="WARN",
        summary=summary,
        metadata={
            "expired_count": len(expired),
            "overrides_count": len(overrides),
            "expired": Table.of(
                (
                    "provider",
                    "model",
                    "prices (per 1M tokens / per unit)",
                    "reason",
                    "by",
                    "set at",
                    "expired at",
                ),
                rows,
            ),
        },
    )


def _resolve(ids: list[str]) -> str:
    return "resolves" if len(ids) == 1 else "resolve"
