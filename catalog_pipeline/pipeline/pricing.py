"""Where an offer's price is chosen: the provider's own prices, the reference sources'
observations and the curated row, through :func:`~catalog_pipeline.domain.references.
choose_prices`.

It runs in two places, with one function (:func:`choose_for`):

- when a provider syncs (``normalized_models[p]``): its fresh list, with the references
  stored at that moment;
- when a reference source syncs (``reference_prices[s]``, :func:`reprice_from_references`)
  and when a router writes (``models[openrouter]``, :func:`reprice_publishers_of`):
  every provider's stored active offers, their own prices read back from the evidence in
  ``price_source``. So a new LiteLLM or models.dev file reprices OpenAI's offers at once,
  without waiting for OpenAI's next sync, and without re-fetching it: the provider's own
  prices are in its rows (the fields labelled ``provider_api``), the rest is recomputed.

Both write through the store's diff, so every change of price is a ``price_history`` row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalog_pipeline.domain.overrides import OVERRIDE_PREFIX
from catalog_pipeline.domain.reference_names import match_reference, reference_provider_names
from catalog_pipeline.domain.references import (
    PROVIDER_API,
    PriceChoice,
    ReferenceObservation,
    choose_prices,
    own_prices,
)
from catalog_pipeline.domain.rows import PRICE_FIELDS, Offer, Prices, tiers_from_text
from catalog_pipeline.pipeline.check_settings import CheckThresholds
from catalog_pipeline.pipeline.checks import PriceProblem, price_problems
from catalog_pipeline.pipeline.outcome import CheckOutcome, Table, count, first
from catalog_pipeline.providers.registry import PROVIDERS
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline.store.diff import ChangeSummary

ROUTERS = ("openrouter",)
"""Routers whose own prices for a publisher's model (``openai/gpt-4o``) are a further
reference for the publisher's list price, matched through ``reference_providers.csv``
rows whose source is the router's slug (``openrouter,openai,openai``)."""

Observations = Mapping[str, Sequence[ReferenceObservation]]
"""provider_model_id -> the observations of that exact id."""


def by_model(observations: Iterable[ReferenceObservation]) -> dict[str, list[ReferenceObservation]]:
    grouped: dict[str, list[ReferenceObservation]] = defaultdict(list)
    for observation in observations:
        grouped[observation.provider_model_id].append(observation)
    return dict(grouped)


def choose_for(
    spec: ProviderSpec,
    provider_model_id: str,
    own: Prices,
    own_label: str,
    observations: Sequence[ReferenceObservation],
) -> PriceChoice:
    """The price of one offer of ``spec`` (the one place the precedence is applied)."""
    entry = spec.curated_price(provider_model_id)
    return choose_prices(
        own,
        observations,
        entry.prices if entry is not None else None,
        entry.price_source if entry is not None else None,
        own_label,
    )


def own_label(price_source: str) -> str:
    """How a parsed row names its own prices: ``provider_api`` unless a provider without
    a list API names its packaged price list."""
    return PROVIDER_API if price_source in ("none", PROVIDER_API) else price_source


def router_observations(store: CatalogStore, provider: str) -> list[ReferenceObservation]:
    """The routers' own prices for ``provider``'s models, as labelled references."""
    found = []
    for router in ROUTERS:
        if router == provider:
            continue
        for model_id, row in _active_rows(store, router).items():
            publisher, _, rest = model_id.partition("/")
            matched = match_reference(router, publisher, rest) if rest else None
            if matched is None or matched.provider != provider:
                continue
            own, _ = own_prices(row_prices(row), row["price_source"])
            if own.is_unpriced():
                continue
            found.append(
                ReferenceObservation(
                    source=router,
                    provider=provider,
                    provider_model_id=matched.provider_model_id,
                    source_key=model_id,
                    prices=own,
                    fetched_at=row["changed_at"] or row["first_seen_at"],
                    kind="router",
                )
            )
    return found


def _active_rows(store: CatalogStore, slug: str) -> dict[str, dict[str, Any]]:
    """The provider's active rows; none for a provider never registered in this database."""
    try:
        return store.current_offers(slug)
    except LookupError:
        return {}


def references_for(store: CatalogStore, provider: str) -> list[ReferenceObservation]:
    return [*store.reference_observations(provider), *router_observations(store, provider)]


def row_prices(row: Mapping[str, Any]) -> Prices:
    return Prices(
        **{name: row[name] for name in PRICE_FIELDS}, tiers=tiers_from_text(row["price_tiers"])
    )


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part for part in (text or "").split(",") if part)


def offer_from_row(provider: str, row: Mapping[str, Any]) -> Offer:
    """A stored active row as the offer a sync would have written (same column values)."""
    return Offer(
        provider=provider,
        provider_model_id=row["provider_model_id"],
        canonical_id=row["canonical_id"],
        publisher=row["publisher"],
        display_name=row["display_name"],
        model_type=row["model_type"],
        input_modalities=_split(row["input_modalities"]),
        output_modalities=_split(row["output_modalities"]),
        capabilities=_split(row["capabilities"]),
        context_length=row["context_length"],
        max_output_tokens=row["max_output_tokens"],
        prices=row_prices(row),
        price_source=row["price_source"],
        deprecation_date=row["deprecation_date"],
    )


@dataclass(frozen=True)
class Repricing:
    """One provider's repricing: what was written, and the new prices held back because
    they failed :func:`~catalog_pipeline.pipeline.checks.price_problems` (out of band,
    moved by the unit-bug factor, or too many offers turned free) - those offers keep
    their stored price, like a provider whose sync fails ``prices_sane``."""

    provider: str
    summary: ChangeSummary | None
    held: tuple[PriceProblem, ...] = ()


def reprice_provider(
    store: CatalogStore, spec: ProviderSpec, settings: CheckThresholds
) -> Repricing | None:
    """Re-choose the prices of ``spec``'s stored active offers from the references stored
    now; write the offers whose price or evidence changed and whose new prices pass the
    price rules of a sync. None: nothing to reprice.

    A reference is checked like a provider's own list: a single source with a unit bug
    (a per-1K price read as per token) would otherwise be written unchecked, and then be
    the baseline the next sync's ``prices_sane`` compares with.

    An offer an operator override prices is left as it is: its row no longer holds the
    provider's own prices to start from, and the override wins anyway; the provider's
    next sync re-applies the precedence under the override."""
    rows = _active_rows(store, spec.slug)
    if not rows:
        return None
    observations = by_model(references_for(store, spec.slug))
    changed = []
    for model_id, row in rows.items():
        if (row["price_source"] or "").startswith(OVERRIDE_PREFIX):
            continue
        offer = offer_from_row(spec.slug, row)
        own, label = own_prices(offer.prices, offer.price_source)
        choice = choose_for(spec, model_id, own, label, observations.get(model_id, ()))
        source = choice.price_source or offer.price_source
        if choice.prices != offer.prices or source != offer.price_source:
            changed.append(
                offer.model_copy(update={"prices": choice.prices, "price_source": source})
            )
    if not changed:
        return None
    stored = {
        offer.provider_model_id: tuple(rows[offer.provider_model_id][f] for f in PRICE_FIELDS)
        for offer in changed
    }
    found = price_problems(changed, stored, settings)
    blocked = found.blocked_offers()
    held = tuple(p for p in found.problems + found.free if p[0] in blocked)
    written = [offer for offer in changed if offer.provider_model_id not in blocked]
    summary = store.reprice_offers(spec.slug, written) if written else None
    return Repricing(spec.slug, summary, held)


def reprice_from_references(store: CatalogStore, settings: CheckThresholds) -> dict[str, Repricing]:
    """Reprice every enabled provider that has stored offers (after a reference sync)."""
    repricings = {}
    for spec in PROVIDERS:
        if spec.enabled and (repricing := reprice_provider(store, spec, settings)) is not None:
            repricings[spec.slug] = repricing
    return repricings


def reprice_publishers_of(
    store: CatalogStore, router: str, settings: CheckThresholds
) -> dict[str, Repricing]:
    """After a router's write: reprice the publishers its own prices are a reference for
    (``reference_providers.csv`` rows whose source is the router), so a router's new price
    reaches them without waiting for their next sync."""
    publishers = {
        entry.provider
        for (source, _), entry in reference_provider_names().items()
        if source == router
    }
    repricings = {}
    for spec in PROVIDERS:
        if (
            spec.slug in publishers
            and spec.enabled
            and (repricing := reprice_provider(store, spec, settings)) is not None
        ):
            repricings[spec.slug] = repricing
    return repricings


def repricing_sane(trigger: str, repricings: Mapping[str, Repricing]) -> CheckOutcome:
    """``repriced_prices_sane``: the prices a reference source's or a router's sync would
    have written into other providers' offers and held back. ERROR when any was held (the
    offers keep their stored prices; a source with a unit bug is the usual cause)."""
    held = [(slug, *problem) for slug, r in sorted(repricings.items()) for problem in r.held]
    written = sum(len(r.summary.repriced) for r in repricings.values() if r.summary)
    offers = sorted({f"{slug} {model}" for slug, model, *_ in held})
    if held:
        summary = (
            f"{trigger}: {count(len(offers), 'repriced offer')} held back, the stored prices "
            f"stay (outside the band or moved past the unit-bug factor): {first(offers)}; "
            "check the source's prices, or set an override"
        )
    else:
        summary = f"{trigger}: {count(written, 'offer')} repriced, every new price sane"
    return CheckOutcome(
        name="repriced_prices_sane",
        passed=not held,
        severity="ERROR",
        summary=summary,
        metadata={
            "trigger": trigger,
            "repriced_offers": written,
            "held_offers": len(offers),
            "held": Table.of(
                ("provider", "model", "field", "stored USD", "new USD", "problem"), held
            ),
        },
    )
