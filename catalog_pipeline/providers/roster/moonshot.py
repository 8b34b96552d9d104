"""Moonshot AI ``GET /v1/models``: the OpenAI list, without prices.

Current responses add ``context_length`` (older ones, like the 2025-10 capture, have only
the base fields); ``supports_image_in`` and the like are not mapped. Prices are the curated
rows below, USD per 1M tokens.
"""

from __future__ import annotations

import datetime as dt

from catalog_pipeline.domain.rows import Prices
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec

PRICING_PAGE = "https://platform.moonshot.ai/docs/pricing/chat"
CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="moonshot-v1-8k",
        prices=Prices(prompt=per_million("0.2"), completion=per_million("2")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + genai-prices + Portkey",
    ),
    CuratedPrice(
        provider_model_id="moonshot-v1-32k",
        prices=Prices(prompt=per_million("1"), completion=per_million("3")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + genai-prices + Portkey",
    ),
    CuratedPrice(
        provider_model_id="moonshot-v1-128k",
        prices=Prices(prompt=per_million("2"), completion=per_million("5")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + genai-prices + Portkey",
    ),
    CuratedPrice(
        provider_model_id="kimi-k2-0905-preview",
        prices=Prices(
            prompt=per_million("0.6"), completion=per_million("2.5"), cache_read=per_million("0.15")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with genai-prices + models.dev + Portkey",
    ),
)


PROVIDER = ProviderSpec(
    slug="moonshot",
    name="Moonshot AI",
    base_url="https://api.moonshot.ai",
    list_path="/v1/models",
    parser=OpenAICompatibleAPI(FieldMap(context_length=("context_length",))),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://platform.moonshot.ai/docs/api/chat#list-models",
)
