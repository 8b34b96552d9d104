"""From a provider's parsed rows to offers: canonical identity, display name, and one price
per field chosen from the provider's own, the reference sources' and the curated prices
(:mod:`catalog_pipeline.pipeline.pricing`)."""

from __future__ import annotations

from catalog_pipeline.domain.offers import offer_of
from catalog_pipeline.domain.rows import Offer, ProviderModel
from catalog_pipeline.pipeline.pricing import Observations, choose_for, own_label
from catalog_pipeline.providers.spec import ProviderSpec


def normalize_rows(
    provider: ProviderSpec,
    rows: list[ProviderModel],
    references: Observations | None = None,
) -> list[Offer]:
    """Offers for ``provider``'s rows, each field priced by precedence (``references``:
    the observations of the provider's models, by exact id)."""
    slug = provider.slug
    references = references or {}
    offers = []
    for row in rows:
        model_id = row.provider_model_id
        choice = choose_for(
            provider,
            model_id,
            row.prices,
            own_label(row.price_source),
            references.get(model_id, ()),
        )
        update = {
            "prices": choice.prices,
            "price_source": choice.price_source or row.price_source,
        }
        if row.prices.is_unpriced() and not choice.prices.is_unpriced():
            update["zero_prices_unknown"] = None
        offer = offer_of(row, slug, **update)
        offer.content_hash  # noqa: B018 - computed here, once, instead of in every store write
        offers.append(offer)
    return offers
