"""What resolution answers, in one set of types: offers and answers with Decimal prices.

:class:`OfferView` is one provider's offer as every read path sees it (``Catalog.offers``,
``Catalog.list``, a resolution's chosen offer and alternatives); :class:`Resolution` is
the answer to one request. Both are frozen and shared between callers. Prices stay
``Decimal`` USD per token; :func:`pricing_json` formats them as decimal strings, only at
the JSON edges (the CLI, ``as_json``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from catalog_pipeline.domain.named_providers import NamedBy
from catalog_pipeline.domain.rows import PRICE_FIELDS, TOKEN_PRICE_FIELDS, Prices, tiers_from_text
from catalog_pipeline.domain.units import decimal_str

Status = Literal["priced", "unpriced", "not_found", "ambiguous"]
Match = Literal[
    "exact", "alias", "moving_alias", "normalized", "base_of_snapshot", "fallback_any_provider"
]
ChosenBy = Literal[
    "named_provider",
    "publisher",
    "reference_price",
    "sole_provider",
    "highest_price",
]
Relation = Literal["publisher", "other_provider", "candidate"]
Fallback = Literal["none", "any_provider"]

EXIT_CODES: dict[str, int] = {"priced": 0, "not_found": 1, "unpriced": 3, "ambiguous": 4}
"""Process exit code per status (``catalog-pipeline resolve``)."""

STATUS_ORDER = {"active": 0, "missing": 1, "deprecated": 2}


@dataclass(frozen=True, slots=True)
class OfferView:
    """One provider's offer of one model as the read side sees it; prices are Decimal USD."""

    provider: str
    provider_model_id: str
    canonical_id: str
    display_name: str
    model_type: str
    status: str
    context_length: int | None
    max_output_tokens: int | None
    prices: Prices
    price_source: str
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    priced: bool = field(init=False, compare=False)
    """At least one price is known (derived from ``prices``)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "priced", not self.prices.is_unpriced())

    @classmethod
    def from_row(cls, row: Mapping[str, Any], prices: Prices | None = None) -> OfferView:
        """An offer from a row of our own store (values already validated when written);
        ``prices``, when given, are the row's prices already built (shared between offers
        with equal prices)."""
        return cls(
            provider=row["provider"],
            provider_model_id=row["provider_model_id"],
            canonical_id=row["canonical_id"],
            display_name=row["display_name"],
            model_type=row["model_type"],
            status=row["status"],
            context_length=row["context_length"],
            max_output_tokens=row["max_output_tokens"],
            prices=prices if prices is not None else stored_prices(row),
            price_source=row["price_source"],
            input_modalities=_split(row.get("input_modalities")),
            output_modalities=_split(row.get("output_modalities")),
            capabilities=_split(row.get("capabilities")),
        )

    @property
    def publisher(self) -> str:
        return self.canonical_id.split("/", 1)[0]

    def price(self, name: str) -> Decimal | None:
        return getattr(self.prices, name)

    def as_json(self) -> dict[str, Any]:
        """The offer with prices as decimal strings (USD per token), for JSON output."""
        return {
            "provider": self.provider,
            "provider_model_id": self.provider_model_id,
            "canonical_id": self.canonical_id,
            "status": self.status,
            "pricing": pricing_json(self.prices),
            "context_length": self.context_length,
        }


def stored_prices(row: Mapping[str, Any]) -> Prices:
    """The prices of a store row (validated when written, so not validated again); a row
    from a database that has not run the tiers migration has no tiers."""
    return Prices.model_construct(
        {*PRICE_FIELDS, "tiers"},
        tiers=tiers_from_text(row.get("price_tiers")),
        **{name: row.get(name) for name in PRICE_FIELDS},
    )


@functools.lru_cache(maxsize=4096)
def _split(value: str | None) -> tuple[str, ...]:
    """Modalities and capabilities: a few distinct lists, so every offer shares their tuples."""
    return tuple(part for part in (value or "").split(",") if part)


def pricing_json(prices: Prices) -> dict[str, Any]:
    """Prices as plain decimal strings: the one place answers become JSON. ``tiers`` lists
    the long-context price sets (``above_prompt_tokens`` and the tier's token prices)."""
    pricing: dict[str, Any] = {name: decimal_str(getattr(prices, name)) for name in PRICE_FIELDS}
    pricing["tiers"] = [
        {
            "above_prompt_tokens": tier.above_prompt_tokens,
            **{name: decimal_str(getattr(tier, name)) for name in TOKEN_PRICE_FIELDS},
        }
        for tier in prices.tiers
    ]
    return pricing


class Alternative(NamedTuple):
    """An offer listed beside (or instead of) the answer, and why it is listed."""

    offer: OfferView
    relation: Relation

    def as_json(self) -> dict[str, Any]:
        return {"relation": self.relation, **self.offer.as_json()}


@dataclass(frozen=True, slots=True)
class Resolution:
    """The answer to "which offer is this request, and what does it cost"."""

    requested: str
    status: Status
    match: Match | None = None
    chosen_by: ChosenBy | None = None
    canonical_id: str | None = None
    offer: OfferView | None = None
    named_provider: str | None = None
    named_by: NamedBy | None = None
    alternatives: tuple[Alternative, ...] = ()
    reason: str | None = None
    candidates: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        """An offer was chosen (priced or not)."""
        return self.offer is not None

    @property
    def provider(self) -> str | None:
        """The chosen offer's provider, else the provider the request named."""
        return self.offer.provider if self.offer is not None else self.named_provider

    @property
    def provider_model_id(self) -> str | None:
        return self.offer.provider_model_id if self.offer is not None else None

    @property
    def prices(self) -> Prices | None:
        return self.offer.prices if self.offer is not None else None

    @property
    def context_length(self) -> int | None:
        return self.offer.context_length if self.offer is not None else None

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def as_json(self) -> dict[str, Any]:
        """The answer in the shape of DESIGN.md's ``resolve --json`` contract."""
        return {
            "requested": self.requested,
            "found": self.found,
            "status": self.status,
            "canonical_id": self.canonical_id,
            "provider": self.provider,
            "provider_model_id": self.provider_model_id,
            "match": self.match,
            "chosen_by": self.chosen_by,
            "named_provider": self.named_provider,
            "named_by": self.named_by,
            "pricing": pricing_json(self.offer.prices) if self.offer is not None else None,
            "price_source": self.offer.price_source if self.offer is not None else None,
            "context_length": self.context_length,
            "alternatives": [alternative.as_json() for alternative in self.alternatives],
            "reason": self.reason,
            "candidates": list(self.candidates),
        }


ReferenceOffer = Callable[[str], OfferView | None]
"""Optional hook: a reference price for a canonical id, as an offer whose ``provider`` and
``price_source`` name the reference (for example models.dev). Consulted after the
publisher's own offer and before any host's, when no provider is named."""


def offer_order(offer: OfferView) -> tuple[Any, ...]:
    """Display order of offers: active first, priced first, cheapest first (prompt, then
    completion). Only for listing; never used to choose an answer."""
    prompt, completion = offer.prices.prompt, offer.prices.completion
    return (
        STATUS_ORDER.get(offer.status, 3),
        prompt is None,
        prompt or Decimal(0),
        completion is None,
        completion or Decimal(0),
        offer.provider,
        offer.provider_model_id,
    )
