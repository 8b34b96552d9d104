"""Resolution of a requested model id to a catalog offer, saying how it matched.

The order is fixed and never fuzzy: an exact ``canonical_id``, an exact
``provider_model_id`` (case kept), an explicit alias, then the canonical form of the
request computed by :mod:`catalog_pipeline.catalog.ids`. When nothing matches, the
answer is "not found" with the nearest canonical ids listed for a human; a candidate is
never picked automatically.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from catalog_pipeline.catalog.aliases import aliases
from catalog_pipeline.catalog.ids import canonical_id
from catalog_pipeline.catalog.rows import PRICE_FIELDS
from catalog_pipeline.catalog.units import decimal_str

Match = Literal["exact", "alias", "normalized"]
STATUS_ORDER = {"active": 0, "missing": 1, "deprecated": 2}


class OfferView(BaseModel):
    """One offer as the read side shows it: prices as decimal strings in USD per token."""

    model_config = ConfigDict(frozen=True)

    provider: str
    provider_model_id: str
    canonical_id: str
    display_name: str
    model_type: str
    status: str
    context_length: int | None
    max_output_tokens: int | None
    pricing: dict[str, str | None]
    price_source: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> OfferView:
        return cls(
            provider=row["provider"],
            provider_model_id=row["provider_model_id"],
            canonical_id=row["canonical_id"],
            display_name=row["display_name"],
            model_type=row["model_type"],
            status=row["status"],
            context_length=row["context_length"],
            max_output_tokens=row["max_output_tokens"],
            pricing={name: decimal_str(row[name]) for name in PRICE_FIELDS},
            price_source=row["price_source"],
        )

    @property
    def publisher(self) -> str:
        return self.canonical_id.split("/", 1)[0]

    def price(self, name: str) -> Decimal | None:
        value = self.pricing.get(name)
        return Decimal(value) if value is not None else None


class Resolution(BaseModel):
    """The answer to "what is this model and what does it cost"."""

    requested: str
    found: bool
    canonical_id: str | None = None
    provider: str | None = None
    provider_model_id: str | None = None
    match: Match | None = None
    pricing: dict[str, str | None] | None = None
    context_length: int | None = None
    offers: list[OfferView] = []
    reason: str | None = None
    candidates: list[str] = []


class Resolver:
    """Indexes of one consistent catalog read; cheap lookups, no I/O."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.offers = [OfferView.from_row(row) for row in rows]
        self._by_provider_id: dict[str, list[OfferView]] = defaultdict(list)
        self._by_canonical: dict[str, list[OfferView]] = defaultdict(list)
        for offer in self.offers:
            self._by_provider_id[offer.provider_model_id].append(offer)
            self._by_canonical[offer.canonical_id].append(offer)

    def resolve(self, requested: str, provider: str | None = None) -> Resolution:
        text = requested.strip()
        lowered = text.lower()
        canonical = self._for_provider(self._by_canonical.get(lowered, []), provider)
        if canonical:
            return self._answer(text, "exact", canonical, lowered)
        exact = self._for_provider(self._by_provider_id.get(text, []), provider)
        if exact:
            return self._answer(text, "exact", exact, exact[0].canonical_id)
        alias = aliases().get(lowered)
        for match, key in (
            ("alias", alias.canonical_id if alias else None),
            ("normalized", canonical_id(text, provider or "unknown")),
        ):
            offers = self._for_provider(self._by_canonical.get(key, []), provider) if key else []
            if offers:
                return self._answer(text, match, offers, key)
        return self._not_found(text, provider)

    def _for_provider(self, offers: list[OfferView], provider: str | None) -> list[OfferView]:
        if provider is not None:
            offers = [offer for offer in offers if offer.provider == provider]
        return sorted(offers, key=self._preference)

    @staticmethod
    def _preference(offer: OfferView) -> tuple[int, int, int, str]:
        """Active first, then the publisher's own offer, then priced offers, then by provider."""
        first_party = 0 if offer.provider == offer.publisher else 1
        unpriced = 0 if any(value is not None for value in offer.pricing.values()) else 1
        return (STATUS_ORDER.get(offer.status, 3), first_party, unpriced, offer.provider)

    def _answer(
        self, requested: str, match: Match, offers: list[OfferView], canonical: str
    ) -> Resolution:
        chosen = offers[0]
        return Resolution(
            requested=requested,
            found=True,
            canonical_id=canonical,
            provider=chosen.provider,
            provider_model_id=chosen.provider_model_id,
            match=match,
            pricing=chosen.pricing,
            context_length=chosen.context_length,
            offers=offers,
        )

    def _not_found(self, requested: str, provider: str | None) -> Resolution:
        pool = sorted(
            {o.canonical_id for o in self.offers if provider is None or o.provider == provider}
        )
        target = canonical_id(requested, provider or "unknown")
        candidates = difflib.get_close_matches(target, pool, n=5, cutoff=0.6)
        scope = f" at provider {provider!r}" if provider else ""
        return Resolution(
            requested=requested,
            found=False,
            reason=f"no exact, alias or normalized match for {requested!r}{scope} "
            f"(normalized form {target!r}); candidates are listed, never chosen",
            candidates=candidates,
        )
