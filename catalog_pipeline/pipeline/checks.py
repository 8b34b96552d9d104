"""The per-provider checks: bad data never reaches the models table.

Plain functions over one provider's snapshot and what the store held before it. The
assets run them inside the partition's own steps (blocking), and reset-and-resync runs the
same functions while it stages; an ERROR that fails stops the provider's data in both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from catalog_pipeline.domain.names import name_problems
from catalog_pipeline.domain.overrides import OVERRIDE_PREFIX
from catalog_pipeline.domain.rows import (
    PRICE_FIELDS,
    TOKEN_PRICE_FIELDS,
    UNIT_PRICE_FIELDS,
    Offer,
)
from catalog_pipeline.domain.units import decimal_str
from catalog_pipeline.pipeline.check_settings import CheckThresholds
from catalog_pipeline.pipeline.outcome import CheckOutcome, Table, count, first
from catalog_pipeline.pipeline.snapshot import NormalizedSnapshot, ProviderSnapshot

StoredPrices = Mapping[str, Sequence[Decimal | None]]
"""provider_model_id -> the prices of the provider's last good sync, in ``PRICE_FIELDS``
order (``StoredOffers.active_prices``)."""


def schema_valid(snapshot: ProviderSnapshot, settings: CheckThresholds) -> CheckOutcome:
    total = snapshot.item_count
    fraction = snapshot.rejected_count / total if total else 1.0
    passed = fraction <= settings.max_rejected_fraction
    rejected_ids = [r.provider_model_id or f"item {r.index}" for r in snapshot.rejected]
    if total == 0:
        summary = (
            f"{snapshot.provider}: the listing has no items, which is a failed fetch, not a "
            "provider without models; the provider keeps its last good rows"
        )
    elif snapshot.rejected_count == 0:
        summary = f"{snapshot.provider}: all {count(total, 'item')} valid"
    else:
        summary = (
            f"{snapshot.provider}: {snapshot.rejected_count} of {count(total, 'item')} failed "
            f"validation ({fraction:.1%}; ERROR above {settings.max_rejected_fraction:.0%}); "
            f"first: {first(rejected_ids)}: {snapshot.rejected[0].error[:160]}"
        )
    return CheckOutcome(
        name="schema_valid",
        passed=passed,
        severity="ERROR",
        summary=summary,
        metadata={
            "provider": snapshot.provider,
            "items": total,
            "rejected": snapshot.rejected_count,
            "rejected_fraction": round(fraction, 4),
            "threshold": settings.max_rejected_fraction,
            "rejected_rows": Table.of(
                ("item", "id", "error"),
                [
                    (r.index, (r.provider_model_id or "?")[:80], r.error[:160])
                    for r in snapshot.rejected
                ],
            ),
        },
    )


def count_not_dropped(
    snapshot: ProviderSnapshot, previous: set[str], settings: CheckThresholds
) -> CheckOutcome:
    """``previous`` is the provider's active model ids from the last good sync."""
    current = {row.provider_model_id for row in snapshot.rows}
    disappeared = sorted(previous - current)
    appeared = sorted(current - previous)
    drop = len(disappeared) / len(previous) if previous else 0.0
    error_at = settings.drop_error_for(snapshot.provider)
    if drop > error_at:
        passed, severity = False, "ERROR"
    elif drop > settings.count_drop_warn:
        passed, severity = False, "WARN"
    else:
        passed, severity = True, "ERROR"
    summary = (
        f"{snapshot.provider}: {count(len(current), 'model')}, {len(previous)} at the last "
        f"good sync ({drop:.1%} dropped; WARN above {settings.count_drop_warn:.0%}, "
        f"ERROR above {error_at:.0%})"
        if previous
        else f"{snapshot.provider}: {count(len(current), 'model')}; no earlier good sync to "
        "compare with"
    )
    if disappeared:
        summary += f"; gone: {first(disappeared)}"
    if severity == "ERROR" and not passed:
        summary += "; the provider keeps its last good rows"
    changes = [("disappeared", model_id) for model_id in disappeared]
    changes += [("appeared", model_id) for model_id in appeared]
    return CheckOutcome(
        name="count_not_dropped",
        passed=passed,
        severity=severity,
        summary=summary,
        metadata={
            "provider": snapshot.provider,
            "previous_count": len(previous),
            "current_count": len(current),
            "disappeared_count": len(disappeared),
            "appeared_count": len(appeared),
            "drop_fraction": round(drop, 4),
            "warn_above": settings.count_drop_warn,
            "error_above": error_at,
            "changes": Table.of(("change", "model"), changes),
        },
    )


PriceProblem = tuple[str, str, str | None, str | None, str]
"""model, field, price before (USD), price now (USD), problem (band, moved, now free)."""


@dataclass(frozen=True)
class PriceProblems:
    """What :func:`price_problems` found: prices out of their band or moved by the unit-bug
    factor (``problems``), and priced offers turned free (``free``)."""

    problems: list[PriceProblem]
    free: list[PriceProblem]
    max_newly_free_offers: int

    @property
    def free_offers(self) -> list[str]:
        return sorted({model for model, *_ in self.free})

    @property
    def too_many_free(self) -> bool:
        return len(self.free_offers) > self.max_newly_free_offers

    def blocked_offers(self) -> set[str]:
        """The offers whose new prices must not be written: every offer with a problem,
        and the newly free ones when there are too many of them."""
        blocked = {model for model, *_ in self.problems}
        return blocked | set(self.free_offers) if self.too_many_free else blocked


def price_problems(
    offers: Iterable[Offer], stored: StoredPrices, settings: CheckThresholds
) -> PriceProblems:
    """The price rules of :func:`prices_sane`, per offer, against the stored prices: the
    one place they are written, for a provider's sync and for a reference repricing."""
    ratio = Decimal(str(settings.max_price_move_ratio))
    bands = price_bands(settings)
    problems: list[PriceProblem] = []
    free: list[PriceProblem] = []
    for offer in offers:
        previous = stored.get(offer.provider_model_id)
        for index, name in enumerate(PRICE_FIELDS):
            price = getattr(offer.prices, name)
            if price is None:
                continue
            old = previous[index] if previous else None
            low, high = bands[name]
            row = (offer.provider_model_id, name, decimal_str(old), decimal_str(price))
            if price > high or (0 < price < low):
                problems.append((*row, "band"))
            unit_change = old and price and (price / old > ratio or old / price > ratio)
            if name in TOKEN_PRICE_FIELDS and unit_change:
                problems.append((*row, "moved"))
            if old and old > 0 and price == 0:
                free.append((*row, "now free"))
    return PriceProblems(problems, free, settings.max_newly_free_offers)


def price_bands(settings: CheckThresholds) -> dict[str, tuple[Decimal, Decimal]]:
    bands = {name: settings.token_price_band for name in TOKEN_PRICE_FIELDS}
    return bands | {name: settings.unit_price_band(name) for name in UNIT_PRICE_FIELDS}


def prices_sane(
    snapshot: NormalizedSnapshot, stored: StoredPrices, settings: CheckThresholds
) -> CheckOutcome:
    """Every price inside its plausible band, no token price moved by the unit-bug factor,
    and no priced offer turned free unnoticed.

    Token prices have one band in USD/token; each per-unit price its own in USD/unit (a
    ``per_request`` of 1e27 is a parser bug, not a price). A price that was positive at the
    last good sync and is 0 now is a WARN (a free preview is real), an ERROR when more than
    ``max_newly_free_offers`` offers of the provider do it at once (a parser that lost the
    price field reads as free, and free is the most expensive wrong price).
    """
    found = price_problems(snapshot.offers, stored, settings)
    bands = price_bands(settings)
    problems, free = found.problems, found.free
    out_of_band = sum(1 for problem in problems if problem[4] == "band")
    moved = len(problems) - out_of_band
    free_offers = found.free_offers
    too_many_free = found.too_many_free
    blocking = bool(problems) or too_many_free
    unit_band = [p for p in problems if p[4] == "band" and p[1] in UNIT_PRICE_FIELDS]
    reasons = []
    if out_of_band - len(unit_band):
        low, high = settings.token_price_band
        reasons.append(
            f"{out_of_band - len(unit_band)} outside {decimal_str(low)}..{decimal_str(high)} "
            "USD/token"
        )
    if unit_band:
        reasons.append(
            f"{len(unit_band)} per-unit outside their band ("
            + ", ".join(
                f"{name} ..{decimal_str(bands[name][1])} USD"
                for name in sorted({p[1] for p in unit_band})
            )
            + ")"
        )
    if moved:
        reasons.append(
            f"{moved} moved more than {settings.max_price_move_ratio:g}x since the last "
            "good sync: a unit change?"
        )
    if free_offers:
        reasons.append(
            f"{count(len(free_offers), 'priced offer')} now free (ERROR above "
            f"{settings.max_newly_free_offers}): {first(free_offers)}"
        )
    if problems or free:
        shown = {
            (model, name): f"{model} {name} {f'{old} -> ' if old else ''}{new}"
            for model, name, old, new, _ in problems + free
        }
        token_only = all(name in TOKEN_PRICE_FIELDS for _, name in shown)
        summary = (
            f"{snapshot.provider}: {count(len(shown), 'token price' if token_only else 'price')}"
            f" failed ({', '.join(reasons)}): {first(list(shown.values()))}"
        )
        if blocking:
            summary += "; the provider keeps its last good rows"
    else:
        summary = f"{snapshot.provider}: every price inside its band and steady"
    return CheckOutcome(
        name="prices_sane",
        passed=not problems and not free,
        severity="ERROR" if blocking or not free else "WARN",
        summary=summary,
        metadata={
            "provider": snapshot.provider,
            "out_of_band_count": out_of_band,
            "moved_count": moved,
            "newly_free_count": len(free_offers),
            "max_newly_free_offers": settings.max_newly_free_offers,
            "band_usd_per_token": f"{decimal_str(bands['prompt'][0])} .. "
            f"{decimal_str(bands['prompt'][1])}",
            "band_usd_per_unit": ", ".join(
                f"{name} ..{decimal_str(bands[name][1])}" for name in UNIT_PRICE_FIELDS
            ),
            "max_move_ratio": settings.max_price_move_ratio,
            "problems": Table.of(
                ("model", "field", "before USD", "now USD", "problem"), problems + free
            ),
        },
    )


def names_valid(snapshot: NormalizedSnapshot) -> CheckOutcome:
    bad = [
        (offer.provider_model_id, offer.display_name, ", ".join(problems))
        for offer in snapshot.offers
        if (problems := name_problems(offer.display_name))
    ]
    summary = (
        f"{snapshot.provider}: {count(len(bad), 'display name')} with a company prefix, type "
        f"suffix or stray whitespace: {first([f'{name!r} ({why})' for _, name, why in bad])}"
        if bad
        else f"{snapshot.provider}: every display name clean"
    )
    return CheckOutcome(
        name="names_valid",
        passed=not bad,
        severity="WARN",
        summary=summary,
        metadata={
            "provider": snapshot.provider,
            "malformed_count": len(bad),
            "malformed": Table.of(("model", "display name", "problems"), bad),
        },
    )


def one_price_per_canonical_id(snapshot: NormalizedSnapshot) -> CheckOutcome:
    """No two offers of this provider share a canonical id at different prices (ERROR).

    The provider keeps them apart (``gpt-4o`` at $2.50 and ``gpt-4o-2024-05-13`` at $5), so
    one canonical id for both means the identity rules merged two models, and resolution
    could bill one at the other's price. Fix the rule or the alias table, not the data.

    An offer an operator override prices is left out: a negotiated price for ``gpt-4o``
    beside the list price of ``gpt-4o-2024-08-06`` is a decision, not merged identities,
    and blocking on it would freeze the provider's rows at the operator's request.
    """
    groups: dict[str, list[Offer]] = defaultdict(list)
    for offer in snapshot.offers:
        if not offer.price_source.startswith(OVERRIDE_PREFIX):
            groups[offer.canonical_id].append(offer)
    rows: list[tuple[str, str, str | None, str | None]] = []
    merged: list[str] = []
    for canonical, offers in sorted(groups.items()):
        if len(offers) < 2 or len({offer.prices for offer in offers}) == 1:
            continue
        merged.append(
            f"{canonical} ("
            + " vs ".join(
                f"{o.provider_model_id} {decimal_str(o.prices.prompt) or '-'}/"
                f"{decimal_str(o.prices.completion) or '-'}"
                for o in offers[:3]
            )
            + ")"
        )
        rows += [
            (
                canonical,
                offer.provider_model_id,
                decimal_str(offer.prices.prompt),
                decimal_str(offer.prices.completion),
            )
            for offer in offers
        ]
    summary = (
        f"{snapshot.provider}: {len(merged)} canonical id(s) merge offers that the provider "
        f"prices differently, so the identity rules merged distinct models: {first(merged)}"
        if merged
        else f"{snapshot.provider}: every canonical id has one price"
    )
    return CheckOutcome(
        name="one_price_per_canonical_id",
        passed=not merged,
        severity="ERROR",
        summary=summary,
        metadata={
            "provider": snapshot.provider,
            "merged_count": len(merged),
            "merged": Table.of(
                ("canonical id", "provider model id", "prompt USD/token", "completion"), rows
            ),
        },
    )


def zero_prices_suspect(snapshot: NormalizedSnapshot) -> CheckOutcome:
    """Offers whose listed ``0`` prices were read as unknown, not free (WARN).

    The rule is :mod:`catalog_pipeline.domain.zero_prices`; the parser applies it and says
    why. These offers answer "unpriced" until a real price (a curated row) is known.
    """
    found = [
        (offer.provider_model_id, offer.zero_prices_unknown)
        for offer in snapshot.offers
        if offer.zero_prices_unknown
    ]
    summary = (
        f"{snapshot.provider}: {count(len(found), 'model')} listed at price 0 but billed per "
        "song, clip, image or second (audio/video/music output or a per-unit price in the "
        "description), so the 0 is read as unknown, not free, and these answer unpriced: "
        + first([f"{model} ({why})" for model, why in found], count=2)
        if found
        else f"{snapshot.provider}: no zero price that looks like a per-unit price"
    )
    return CheckOutcome(
        name="zero_prices_suspect",
        passed=not found,
        severity="WARN",
        summary=summary,
        metadata={
            "provider": snapshot.provider,
            "suspect_count": len(found),
            "suspect": Table.of(("model", "why the 0 is not free"), found),
        },
    )
