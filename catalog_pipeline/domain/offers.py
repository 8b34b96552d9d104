"""From a provider's row to its offer: canonical identity, publisher and display name.

Normalization builds every offer here, and the fetch loop builds it once more per item to
reject, at parse time, an item whose derived values would not fit their columns (a
101-character publisher, a 400-character id with no name whose display name is the id):
such an item is counted by ``schema_valid`` instead of failing the provider's write.
"""

from __future__ import annotations

from typing import Any

from catalog_pipeline.domain.aliases import apply_alias
from catalog_pipeline.domain.ids import canonical_id, publisher_name
from catalog_pipeline.domain.names import display_name
from catalog_pipeline.domain.rows import Offer, ProviderModel


def offer_of(row: ProviderModel, provider: str, **update: Any) -> Offer:
    """``row`` as ``provider``'s offer, with ``update`` replacing some of its fields.

    Raises pydantic's ``ValidationError`` when a derived value breaks its column's limit.
    """
    canonical = apply_alias(canonical_id(row.provider_model_id, provider, row.publisher_hint))
    return Offer(
        **{**dict(row), **update},
        provider=provider,
        canonical_id=canonical,
        publisher=publisher_name(canonical.split("/", 1)[0]),
        display_name=display_name(row.name, row.provider_model_id),
    )
