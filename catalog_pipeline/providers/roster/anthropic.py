"""Anthropic ``GET /v1/models``: cursor pagination with ``has_more`` / ``after_id``, no prices.

Auth is ``x-api-key`` plus the required ``anthropic-version`` header (both from the
registry). Newer responses add ``max_input_tokens``, ``max_tokens`` and a nested
``capabilities`` object; older ones only ``type, id, display_name, created_at``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.rows import ModelType, Prices, ProviderModel
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest
from catalog_pipeline.providers.spec import AuthStyle, CuratedPrice, ProviderSpec

PAGE_LIMIT = "1000"


class AnthropicModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str = "model"
    id: str = Field(min_length=1)
    display_name: str | None = None
    created_at: dt.datetime | None = None
    max_input_tokens: int | None = Field(default=None, ge=0)
    max_tokens: int | None = Field(default=None, ge=0)
    capabilities: dict[str, Any] | None = None


def _supported(capabilities: dict[str, Any], name: str) -> bool:
    entry = capabilities.get(name)
    return isinstance(entry, dict) and entry.get("supported") is True


_CAPABILITIES = (
    ("thinking", "reasoning"),
    ("structured_outputs", "structured_outputs"),
    ("image_input", "vision"),
    ("batch", "batch"),
)


class AnthropicAPI(ModelListAPI):
    dialect = "anthropic"

    def first_request(self, spec: ProviderSpec) -> PageRequest:
        return PageRequest(spec.list_path, (("limit", PAGE_LIMIT),))

    def next_request(
        self, spec: ProviderSpec, envelope: dict[str, Any], current: PageRequest, items_on_page: int
    ) -> PageRequest | None:
        if envelope.get("has_more") is not True:
            return None
        last_id = envelope.get("last_id")
        if not isinstance(last_id, str) or not last_id:
            raise ValueError("has_more is true but last_id is missing")
        return PageRequest(spec.list_path, (("after_id", last_id), ("limit", PAGE_LIMIT)))

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = AnthropicModelItem.model_validate(item)
        caps = wire.capabilities or {}
        inputs = ["text"]
        if _supported(caps, "image_input"):
            inputs.append("image")
        if _supported(caps, "pdf_input"):
            inputs.append("file")
        capabilities = (
            "tools",
            *(label for name, label in _CAPABILITIES if _supported(caps, name)),
        )
        return ProviderModel(
            provider_model_id=wire.id,
            name=wire.display_name,
            publisher_hint="anthropic",
            model_type=ModelType.CHAT,
            input_modalities=tuple(inputs),
            output_modalities=("text",),
            context_length=wire.max_input_tokens,
            max_output_tokens=wire.max_tokens,
            capabilities=capabilities,
            price_source="none",
            created_at=wire.created_at,
        )


PRICING_PAGE = "https://www.anthropic.com/pricing"
CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="claude-sonnet-4-5-20250929",
        prices=Prices(
            prompt=per_million("3"),
            completion=per_million("15"),
            cache_read=per_million("0.30"),
            cache_write=per_million("3.75"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="claude-haiku-4-5-20251001",
        prices=Prices(
            prompt=per_million("1"),
            completion=per_million("5"),
            cache_read=per_million("0.10"),
            cache_write=per_million("1.25"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
    CuratedPrice(
        provider_model_id="claude-opus-4-5-20251101",
        prices=Prices(
            prompt=per_million("5"),
            completion=per_million("25"),
            cache_read=per_million("0.50"),
            cache_write=per_million("6.25"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1",
    ),
)


PROVIDER = ProviderSpec(
    slug="anthropic",
    name="Anthropic",
    base_url="https://api.anthropic.com",
    list_path="/v1/models",
    auth=AuthStyle.HEADER,
    auth_header="x-api-key",
    extra_headers={"anthropic-version": "2023-06-01"},
    parser=AnthropicAPI(),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://docs.anthropic.com/en/api/models-list",
)
