"""MiniMax ``GET /v1/models``: ``id`` and ``owned_by`` only, without prices.

This endpoint is used by clients but is not in MiniMax's published API reference. Prices
are the curated rows below, USD per 1M tokens.
"""

from __future__ import annotations

import datetime as dt

from catalog_pipeline.domain.rows import Prices
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec

PRICING_PAGE = "https://platform.minimax.io/docs/guides/pricing"
CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="MiniMax-M2",
        prices=Prices(
            prompt=per_million("0.3"), completion=per_million("1.2"), cache_read=per_million("0.03")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + genai-prices (models.dev has no cache price)",
    ),
    CuratedPrice(
        provider_model_id="MiniMax-M2.1",
        prices=Prices(
            prompt=per_million("0.3"), completion=per_million("1.2"), cache_read=per_million("0.03")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + models.dev",
    ),
    CuratedPrice(
        provider_model_id="MiniMax-M2.5",
        prices=Prices(
            prompt=per_million("0.3"), completion=per_million("1.2"), cache_read=per_million("0.03")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + models.dev",
    ),
)


PROVIDER = ProviderSpec(
    slug="minimax",
    name="MiniMax",
    base_url="https://api.minimax.io",
    list_path="/v1/models",
    parser=OpenAICompatibleAPI(FieldMap()),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://platform.minimax.io/docs/api-reference/api-overview",
)
