"""Cohere ``GET /v1/models``: ``models[]`` paged by ``page_token`` / ``next_page_token``, no prices.

Items are ``{name, endpoints[], finetuned, context_length, tokenizer_url,
default_endpoints[], features[], is_deprecated}``; ``name`` is the id used in requests.
The type comes from ``endpoints`` (``chat``/``generate``/``summarize`` -> chat, ``embed``
-> embedding, ``rerank`` -> rerank, ``classify`` alone -> other); ``context_length`` is
documented as a number and may arrive as ``128000.0``. Pages hold ``page_size`` models
(default 20, maximum 1000) and continue while ``next_page_token`` is non-empty.
Prices are not in the API; they are the curated rows below.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import modalities_for
from catalog_pipeline.domain.rows import ModelType, Prices, ProviderModel
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest, cursor_token
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec

PAGE_SIZE = "1000"

_ENDPOINT_TYPES = (
    ("chat", ModelType.CHAT),
    ("generate", ModelType.CHAT),
    ("summarize", ModelType.CHAT),
    ("embed", ModelType.EMBEDDING),
    ("rerank", ModelType.RERANK),
)
_FEATURE_LABELS = (
    ("tools", "tools"),
    ("json_schema", "structured_outputs"),
    ("vision", "vision"),
    ("reasoning", "reasoning"),
)


class CohereModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1)
    endpoints: list[str] = Field(default_factory=list)
    finetuned: bool | None = None
    context_length: Decimal | None = Field(default=None, ge=0)
    features: list[str] | None = None
    is_deprecated: bool | None = None


class CohereAPI(ModelListAPI):
    dialect = "cohere"

    items_key = "models"

    def first_request(self, spec: ProviderSpec) -> PageRequest:
        return PageRequest(spec.list_path, (("page_size", PAGE_SIZE),))

    def next_request(
        self, spec: ProviderSpec, envelope: dict[str, Any], current: PageRequest, items_on_page: int
    ) -> PageRequest | None:
        token = cursor_token(envelope, "next_page_token")
        if token is None:
            return None
        return PageRequest(spec.list_path, (("page_size", PAGE_SIZE), ("page_token", token)))

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = CohereModelItem.model_validate(item)
        endpoints = set(wire.endpoints)
        kind = next((k for name, k in _ENDPOINT_TYPES if name in endpoints), ModelType.OTHER)
        features = set(wire.features or ())
        inputs, outputs = modalities_for(kind)
        if kind is ModelType.CHAT and "vision" in features:
            inputs = ("text", "image")
        context = wire.context_length
        if context is not None and context != context.to_integral_value():
            raise ValueError(f"context_length {context} is not a whole number of tokens")
        return ProviderModel(
            provider_model_id=wire.name,
            publisher_hint="cohere",
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=int(context) if context else None,
            capabilities=tuple(label for name, label in _FEATURE_LABELS if name in features),
            price_source="none",
        )


PRICING_PAGE = "https://cohere.com/pricing"
CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="command-a-03-2025",
        prices=Prices(prompt=per_million("2.5"), completion=per_million("10")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + models.dev",
    ),
    CuratedPrice(
        provider_model_id="command-r-08-2024",
        prices=Prices(prompt=per_million("0.15"), completion=per_million("0.6")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + models.dev",
    ),
    CuratedPrice(
        provider_model_id="command-r-plus-08-2024",
        prices=Prices(prompt=per_million("2.5"), completion=per_million("10")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + models.dev",
    ),
    CuratedPrice(
        provider_model_id="command-r7b-12-2024",
        prices=Prices(prompt=per_million("0.0375"), completion=per_million("0.15")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + models.dev",
    ),
    CuratedPrice(
        provider_model_id="embed-v4.0",
        prices=Prices(prompt=per_million("0.12")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="text input only; agrees with LiteLLM 1.109.1 + genai-prices",
    ),
    CuratedPrice(
        provider_model_id="command-r-plus",
        prices=Prices(prompt=per_million("2.5"), completion=per_million("10")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="alias of the Command R+ family; agrees with genai-prices + Portkey",
    ),
    CuratedPrice(
        provider_model_id="command-r",
        prices=Prices(prompt=per_million("0.15"), completion=per_million("0.6")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="alias of the Command R family; agrees with genai-prices + Portkey",
    ),
)


PROVIDER = ProviderSpec(
    slug="cohere",
    name="Cohere",
    base_url="https://api.cohere.com",
    list_path="/v1/models",
    api_key_env=("CO_API_KEY",),
    parser=CohereAPI(),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://docs.cohere.com/reference/list-models",
)
