"""OpenRouter's ``GET /api/v1/models`` dialect: prices are decimal strings in USD per token.

OpenRouter serves it and Anannas copies it (its module adds what it puts elsewhere).

``"-1"`` marks a price the router cannot know in advance (``openrouter/auto``) and is
"unknown", never free; ``"0"`` is free because OpenRouter says so. ``links.next``, when
present and non-null, is followed. Tiered ``pricing.overrides`` (long-context prices) are
not modelled yet: the base tier is stored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import (
    capabilities_from_parameters,
    type_from_output_modalities,
)
from catalog_pipeline.domain.rows import ModelType, Prices, ProviderModel
from catalog_pipeline.domain.units import per_token, usd
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.wire import epoch_datetime

UNKNOWN_PRICE = "-1"


class OpenRouterArchitecture(BaseModel):
    model_config = ConfigDict(extra="allow")

    modality: str | None = None
    input_modalities: list[str] = Field(default_factory=list)
    output_modalities: list[str] = Field(default_factory=list)


class OpenRouterPricing(BaseModel):
    model_config = ConfigDict(extra="allow")

    prompt: str | None = None
    completion: str | None = None
    input_cache_read: str | None = None
    input_cache_write: str | None = None
    internal_reasoning: str | None = None
    image: str | None = None
    request: str | None = None
    web_search: str | None = None


class OpenRouterTopProvider(BaseModel):
    model_config = ConfigDict(extra="allow")

    context_length: int | None = None
    max_completion_tokens: int | None = None


class OpenRouterModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    name: str | None = None
    created: int | None = None
    context_length: int | None = Field(default=None, ge=0)
    architecture: OpenRouterArchitecture = OpenRouterArchitecture()
    pricing: OpenRouterPricing
    top_provider: OpenRouterTopProvider | None = None
    supported_parameters: list[str] | None = None
    expiration_date: str | None = None


def _known(value: str | None, convert: Any) -> Decimal | None:
    if value is None or value.strip() == UNKNOWN_PRICE:
        return None
    return convert(value)


class OpenRouterAPI(ModelListAPI):
    dialect = "openrouter"

    def next_request(
        self, spec: ProviderSpec, envelope: dict[str, Any], current: PageRequest, items_on_page: int
    ) -> PageRequest | None:
        link = envelope.get("links.next")
        if not isinstance(link, str) or not link:
            return None
        parts = urlsplit(link)
        return PageRequest(parts.path or spec.list_path, tuple(parse_qsl(parts.query)))

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = OpenRouterModelItem.model_validate(item)
        pricing = wire.pricing
        prices = Prices(
            prompt=_known(pricing.prompt, per_token),
            completion=_known(pricing.completion, per_token),
            cache_read=_known(pricing.input_cache_read, per_token),
            cache_write=_known(pricing.input_cache_write, per_token),
            reasoning=_known(pricing.internal_reasoning, per_token),
            per_input_image=_known(pricing.image, usd),
            per_request=_known(pricing.request, usd),
            per_web_search=_known(pricing.web_search, usd),
        )
        outputs = tuple(wire.architecture.output_modalities) or ("text",)
        kind = type_from_output_modalities(outputs) or ModelType.CHAT
        inputs = tuple(wire.architecture.input_modalities) or ("text",)
        params = set(wire.supported_parameters or ())
        capabilities = capabilities_from_parameters(params)
        if "image" in inputs:
            capabilities += ("vision",)
        top = wire.top_provider
        return ProviderModel(
            provider_model_id=wire.id,
            name=wire.name,
            publisher_hint=wire.id.split("/", 1)[0] if "/" in wire.id else None,
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=wire.context_length,
            max_output_tokens=top.max_completion_tokens if top else None,
            prices=prices,
            capabilities=capabilities,
            deprecation_date=(
                dt.date.fromisoformat(wire.expiration_date[:10]) if wire.expiration_date else None
            ),
            created_at=epoch_datetime(wire.created),
        )
