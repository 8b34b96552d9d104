"""DeepSeek ``GET /models``: the plain OpenAI list (no ``created`` either), without prices.

Prices are the curated rows below, USD per 1M tokens from DeepSeek's pricing page.
"""

from __future__ import annotations

import datetime as dt

from catalog_pipeline.domain.rows import Prices
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec

PRICING_PAGE = "https://api-docs.deepseek.com/quick_start/pricing"
CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="deepseek-chat",
        prices=Prices(
            prompt=per_million("0.14"),
            completion=per_million("0.28"),
            cache_read=per_million("0.0028"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "agrees with models.dev (2026-07) + Portkey (2026-08); LiteLLM 1.109.1 "
            "(0.28/0.42) and genai-prices carry older price lists"
        ),
    ),
    CuratedPrice(
        provider_model_id="deepseek-reasoner",
        prices=Prices(
            prompt=per_million("0.14"),
            completion=per_million("0.28"),
            cache_read=per_million("0.0028"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "agrees with models.dev (2026-07) + Portkey (2026-08); LiteLLM 1.109.1 "
            "(0.28/0.42) and genai-prices carry older price lists"
        ),
    ),
)


PROVIDER = ProviderSpec(
    slug="deepseek",
    name="DeepSeek",
    base_url="https://api.deepseek.com",
    list_path="/models",
    parser=OpenAICompatibleAPI(FieldMap()),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://api-docs.deepseek.com/api/list-models",
)
