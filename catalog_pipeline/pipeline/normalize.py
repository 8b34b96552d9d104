"""From a provider's parsed rows to offers: canonical identity, display name, curated prices."""

from __future__ import annotations

from catalog_pipeline.domain.aliases import apply_alias
from catalog_pipeline.domain.curated_prices import curated_prices
from catalog_pipeline.domain.ids import canonical_id, publisher_name
from catalog_pipeline.domain.names import display_name
from catalog_pipeline.domain.rows import Offer, ProviderModel


def normalize_rows(provider: str, rows: list[ProviderModel]) -> list[Offer]:
    curated = curated_prices()
    offers = []
    for row in rows:
        data = row.model_dump()
        entry = curated.get((provider, row.provider_model_id))
        if entry is not None and row.prices.is_unpriced():
            data["prices"] = entry.prices
            data["price_source"] = entry.price_source
        canonical = apply_alias(canonical_id(row.provider_model_id, provider, row.publisher_hint))
        offer = Offer(
            **data,
            provider=provider,
            canonical_id=canonical,
            publisher=publisher_name(canonical.split("/", 1)[0]),
            display_name=display_name(row.name, row.provider_model_id),
        )
        offer.content_hash  # noqa: B018 - computed here, once, instead of in every store write
        offers.append(offer)
    return offers
