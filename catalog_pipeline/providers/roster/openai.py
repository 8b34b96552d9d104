"""OpenAI ``GET /v1/models``: the plain OpenAI list, without prices.

Items carry ``{id, object, created, owned_by}``; ``shutdown_date``, where present, is the
deprecation date. Prices are the curated rows below, USD per 1M tokens from OpenAI's
pricing page.
"""

from __future__ import annotations

import datetime as dt

from catalog_pipeline.domain.rows import Prices
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec

PRICING_PAGE = "https://openai.com/api/pricing"
CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="gpt-4o",
        prices=Prices(
            prompt=per_million("2.50"), completion=per_million("10"), cache_read=per_million("1.25")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="gpt-4o-mini",
        prices=Prices(
            prompt=per_million("0.15"),
            completion=per_million("0.60"),
            cache_read=per_million("0.075"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="gpt-4.1",
        prices=Prices(
            prompt=per_million("2"), completion=per_million("8"), cache_read=per_million("0.50")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="gpt-4.1-mini",
        prices=Prices(
            prompt=per_million("0.40"),
            completion=per_million("1.60"),
            cache_read=per_million("0.10"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="gpt-4.1-nano",
        prices=Prices(
            prompt=per_million("0.10"),
            completion=per_million("0.40"),
            cache_read=per_million("0.025"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="gpt-5",
        prices=Prices(
            prompt=per_million("1.25"),
            completion=per_million("10"),
            cache_read=per_million("0.125"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="gpt-5-mini",
        prices=Prices(
            prompt=per_million("0.25"), completion=per_million("2"), cache_read=per_million("0.025")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="gpt-5-nano",
        prices=Prices(
            prompt=per_million("0.05"),
            completion=per_million("0.40"),
            cache_read=per_million("0.005"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="o3",
        prices=Prices(
            prompt=per_million("2"), completion=per_million("8"), cache_read=per_million("0.50")
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="o4-mini",
        prices=Prices(
            prompt=per_million("1.10"),
            completion=per_million("4.40"),
            cache_read=per_million("0.275"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="text-embedding-3-small",
        prices=Prices(prompt=per_million("0.02"), completion=per_million("0")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="text-embedding-3-large",
        prices=Prices(prompt=per_million("0.13"), completion=per_million("0")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
)


PROVIDER = ProviderSpec(
    slug="openai",
    name="OpenAI",
    base_url="https://api.openai.com",
    list_path="/v1/models",
    parser=OpenAICompatibleAPI(FieldMap(deprecation_date=("shutdown_date",))),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://platform.openai.com/docs/api-reference/models/list",
)
