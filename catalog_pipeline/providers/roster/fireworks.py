"""Fireworks AI ``GET /inference/v1/models``: no prices in the list (curated below).

``supports_chat`` is Fireworks' own word for a chat model; ``supports_tools`` and
``supports_image_input`` are capabilities. Prices are the curated serverless rows below,
USD per 1M tokens.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from catalog_pipeline.domain.rows import ModelType, Prices
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.openai_compatible import HostFieldMap, OpenHostAPI
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec


def _classify(item: dict[str, Any], kind: ModelType) -> ModelType:
    """``supports_chat`` is Fireworks' own word; a text model without it is completion-only."""
    chat = item.get("supports_chat")
    if chat is True and kind is ModelType.CHAT:
        return ModelType.CHAT
    if chat is False and kind is ModelType.CHAT:
        return ModelType.COMPLETION
    return kind


FIELDS = HostFieldMap(
    context_length=(("context_length",),),
    features=(("supports_tools",), ("supports_image_input",)),
    publisher="none",
    classify=_classify,
)


PRICING_PAGE = "https://fireworks.ai/pricing"
CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="accounts/fireworks/models/gpt-oss-120b",
        prices=Prices(
            prompt=per_million("0.15"),
            completion=per_million("0.60"),
            cache_read=per_million("0.015"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "serverless price; agrees with LiteLLM 1.109.1 and models.dev and Portkey "
            "(cents/token); genai-prices has cache_read 0.014"
        ),
    ),
    CuratedPrice(
        provider_model_id="accounts/fireworks/models/gpt-oss-20b",
        prices=Prices(
            prompt=per_million("0.07"),
            completion=per_million("0.30"),
            cache_read=per_million("0.035"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "serverless price; agrees with LiteLLM 1.109.1 and models.dev and genai-prices "
            "and Portkey (cents/token)"
        ),
    ),
    CuratedPrice(
        provider_model_id="accounts/fireworks/models/deepseek-v4-flash",
        prices=Prices(
            prompt=per_million("0.14"),
            completion=per_million("0.28"),
            cache_read=per_million("0.028"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "serverless price; agrees with LiteLLM 1.109.1 and models.dev and genai-prices "
            "and Portkey (cents/token)"
        ),
    ),
    CuratedPrice(
        provider_model_id="accounts/fireworks/models/glm-5p1",
        prices=Prices(
            prompt=per_million("1.40"),
            completion=per_million("4.40"),
            cache_read=per_million("0.26"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "serverless price; agrees with LiteLLM 1.109.1 and models.dev and genai-prices "
            "and Portkey (cents/token)"
        ),
    ),
    CuratedPrice(
        provider_model_id="accounts/fireworks/models/kimi-k2p6",
        prices=Prices(
            prompt=per_million("0.95"),
            completion=per_million("4.00"),
            cache_read=per_million("0.16"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "serverless price; agrees with LiteLLM 1.109.1 and models.dev and genai-prices "
            "and Portkey (cents/token)"
        ),
    ),
)


PROVIDER = ProviderSpec(
    slug="fireworks",
    name="Fireworks AI",
    base_url="https://api.fireworks.ai",
    list_path="/inference/v1/models",
    parser=OpenHostAPI(FIELDS),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://docs.fireworks.ai",
)
