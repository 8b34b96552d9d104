"""Alibaba Model Studio (DashScope) ``GET /compatible-mode/v1/models``: the plain OpenAI list.

The native ``/api/v1/models`` catalog has tiered prices but is a different dialect. Prices
are the curated rows below: the international (Singapore) base tier, USD per 1M tokens.
"""

from __future__ import annotations

import datetime as dt

from catalog_pipeline.domain.rows import Prices
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec

PRICING_PAGE = "https://www.alibabacloud.com/help/en/model-studio/models"
CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="qwen-plus",
        prices=Prices(prompt=per_million("0.4"), completion=per_million("1.2")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "international (Singapore) base tier; agrees with LiteLLM 1.109.1 + models.dev + "
            "Portkey"
        ),
    ),
    CuratedPrice(
        provider_model_id="qwen-max",
        prices=Prices(prompt=per_million("1.6"), completion=per_million("6.4")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="international (Singapore); agrees with LiteLLM 1.109.1 + models.dev + Portkey",
    ),
    CuratedPrice(
        provider_model_id="qwen-turbo",
        prices=Prices(prompt=per_million("0.05"), completion=per_million("0.2")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "international (Singapore) base tier; agrees with LiteLLM 1.109.1 + models.dev + "
            "Portkey"
        ),
    ),
    CuratedPrice(
        provider_model_id="qwen3-14b",
        prices=Prices(prompt=per_million("0.35"), completion=per_million("1.4")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "international (Singapore) non-thinking output price (thinking output is higher "
            "and not modelled); agrees with models.dev + Portkey"
        ),
    ),
)


PROVIDER = ProviderSpec(
    slug="alibaba",
    name="Alibaba Cloud Model Studio",
    base_url="https://dashscope-intl.aliyuncs.com",
    list_path="/compatible-mode/v1/models",
    api_key_env=("DASHSCOPE_API_KEY",),
    parser=OpenAICompatibleAPI(FieldMap()),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope",
)
