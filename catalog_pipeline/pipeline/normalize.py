"""From a provider's parsed rows to offers: canonical identity, display name, curated prices."""

from __future__ import annotations

from catalog_pipeline.domain.aliases import apply_alias
from catalog_pipeline.domain.ids import canonical_id, publisher_name
from catalog_pipeline.domain.names import display_name
from catalog_pipeline.domain.rows import Offer, ProviderModel
from catalog_pipeline.providers.spec import ProviderSpec


def normalize_rows(provider: ProviderSpec, rows: list[ProviderModel]) -> list[Offer]:
    """Offers for ``provider``'s rows; an unpriced row takes the provider's curated price."""
    slug = provider.slug
    offers = []
    for row in rows:
        data = row.model_dump()
        entry = provider.curated_price(row.provider_model_id)
        if entry is not None and row.prices.is_unpriced():
            data["prices"] = entry.prices
            data["price_source"] = entry.price_source
            data["zero_prices_unknown"] = None
        canonical = apply_alias(canonical_id(row.provider_model_id, slug, row.publisher_hint))
        offer = Offer(
            **data,
            provider=slug,
            canonical_id=canonical,
            publisher=publisher_name(canonical.split("/", 1)[0]),
            display_name=display_name(row.name, row.provider_model_id),
        )
        offer.content_hash  # noqa: B018 - computed here, once, instead of in every store write
        offers.append(offer)
    return offers
