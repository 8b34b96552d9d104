"""From a provider's parsed rows to offers: canonical identity, display name, curated prices."""

from __future__ import annotations

from catalog_pipeline.domain.offers import offer_of
from catalog_pipeline.domain.rows import Offer, ProviderModel
from catalog_pipeline.providers.spec import ProviderSpec


def normalize_rows(provider: ProviderSpec, rows: list[ProviderModel]) -> list[Offer]:
    """Offers for ``provider``'s rows; an unpriced row takes the provider's curated price."""
    slug = provider.slug
    offers = []
    for row in rows:
        entry = provider.curated_price(row.provider_model_id)
        update = {}
        if entry is not None and row.prices.is_unpriced():
            update = {"prices": entry.prices, "price_source": entry.price_source}
        offer = offer_of(row, slug, **update)
        offer.content_hash  # noqa: B018 - computed here, once, instead of in every store write
        offers.append(offer)
    return offers
