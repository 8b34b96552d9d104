"""Z.ai ``GET /api/paas/v4/models``: the plain OpenAI list, without prices.

Prices are the curated rows below, USD per 1M tokens; ``glm-4.5-flash`` is free because
Z.ai says so.
"""

from __future__ import annotations

import datetime as dt

from catalog_pipeline.domain.rows import Prices
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec

PRICING_PAGE = "https://docs.z.ai/guides/overview/pricing"
CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="glm-4.5",
        prices=Prices(
            prompt=per_million("0.6"), completion=per_million("2.2"), cache_read=per_million("0.11")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 (no cache) + models.dev + Portkey",
    ),
    CuratedPrice(
        provider_model_id="glm-4.5-air",
        prices=Prices(
            prompt=per_million("0.2"), completion=per_million("1.1"), cache_read=per_million("0.03")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 (no cache) + models.dev + Portkey",
    ),
    CuratedPrice(
        provider_model_id="glm-4.5-flash",
        prices=Prices(
            prompt=per_million("0"), completion=per_million("0"), cache_read=per_million("0")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="free model per Z.ai; LiteLLM 1.109.1 + models.dev + Portkey all 0",
    ),
    CuratedPrice(
        provider_model_id="glm-4.6",
        prices=Prices(
            prompt=per_million("0.6"), completion=per_million("2.2"), cache_read=per_million("0.11")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + models.dev + Portkey",
    ),
    CuratedPrice(
        provider_model_id="glm-4.7",
        prices=Prices(
            prompt=per_million("0.6"), completion=per_million("2.2"), cache_read=per_million("0.11")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + models.dev + Portkey",
    ),
    CuratedPrice(
        provider_model_id="glm-5",
        prices=Prices(
            prompt=per_million("1"), completion=per_million("3.2"), cache_read=per_million("0.2")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + models.dev + Portkey",
    ),
)


PROVIDER = ProviderSpec(
    slug="zai",
    name="Z.ai",
    base_url="https://api.z.ai",
    list_path="/api/paas/v4/models",
    api_key_env=("Z_AI_API_KEY", "ZHIPUAI_API_KEY"),
    parser=OpenAICompatibleAPI(FieldMap()),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://docs.z.ai/api-reference/introduction",
)
