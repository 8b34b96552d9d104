"""OpenRouter's ``GET /api/v1/models`` dialect: prices are decimal strings in USD per token.

OpenRouter serves it and Anannas copies it (its module adds what it puts elsewhere).

``"-1"`` marks a price the router cannot know in advance (``openrouter/auto``) and is
"unknown", never free; ``"0"`` is free because OpenRouter says so, except where a zero
cannot mean free (:mod:`catalog_pipeline.domain.zero_prices`: audio/video/music output, or
a description that names a price per song, clip, image or second). ``links.next``, when
present and non-null, is followed.

Fields beyond prompt and completion, as the payloads show them:

* ``audio``: USD per *input* audio token (``openai/gpt-audio`` $32/M against $2.50/M
  text) -> ``audio_input``.
* ``image``: per input image in the 2025 snapshots (``openai/o3`` 0.00765); in the 2026
  snapshots it equals ``prompt`` on every model that has it, i.e. the per-token price of
  image input tokens, which ``prompt`` already bills. A value equal to ``prompt`` is
  therefore not stored as a per-image price.
* ``internal_reasoning``: ``"0"`` on nearly every 2025 model, text models included, where
  OpenRouter bills reasoning tokens as completion tokens; a 0 beside a non-zero
  completion price is read as "no separate reasoning price" (billed as output), never as
  free reasoning.
* ``overrides``: long-context tiers, ``[{"min_prompt_tokens": 200000, "prompt", "completion",
  "input_cache_read", "input_cache_write", ...}]`` -> a :class:`PriceTier` above that many
  prompt tokens (the publishers' rule: a prompt *over* 200k). An override without
  ``min_prompt_tokens`` is a condition this parser does not know and is left out.
  ``input_cache_write_1h`` has no column and is not stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import (
    capabilities_from_parameters,
    type_from_output_modalities,
)
from catalog_pipeline.domain.rows import ModelType, Prices, PriceTier, ProviderModel
from catalog_pipeline.domain.units import per_token, usd
from catalog_pipeline.domain.zero_prices import zero_price_doubt, zeros_unknown
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.wire import epoch_datetime

UNKNOWN_PRICE = "-1"


class OpenRouterArchitecture(BaseModel):
    model_config = ConfigDict(extra="allow")

    modality: str | None = None
    input_modalities: list[str] = Field(default_factory=list)
    output_modalities: list[str] = Field(default_factory=list)


class OpenRouterOverride(BaseModel):
    model_config = ConfigDict(extra="allow")

    min_prompt_tokens: int | None = Field(default=None, gt=0)
    prompt: str | None = None
    completion: str | None = None
    input_cache_read: str | None = None
    input_cache_write: str | None = None
    internal_reasoning: str | None = None
    audio: str | None = None


class OpenRouterPricing(BaseModel):
    model_config = ConfigDict(extra="allow")

    prompt: str | None = None
    completion: str | None = None
    input_cache_read: str | None = None
    input_cache_write: str | None = None
    internal_reasoning: str | None = None
    image: str | None = None
    audio: str | None = None
    request: str | None = None
    web_search: str | None = None
    overrides: list[OpenRouterOverride] | None = None


class OpenRouterTopProvider(BaseModel):
    model_config = ConfigDict(extra="allow")

    context_length: int | None = None
    max_completion_tokens: int | None = None


class OpenRouterModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    name: str | None = None
    description: str | None = None
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
        prompt = _known(pricing.prompt, per_token)
        completion = _known(pricing.completion, per_token)
        image = _known(pricing.image, usd)
        prices = Prices(
            prompt=prompt,
            completion=completion,
            cache_read=_known(pricing.input_cache_read, per_token),
            cache_write=_known(pricing.input_cache_write, per_token),
            reasoning=_reasoning(pricing.internal_reasoning, completion),
            audio_input=_known(pricing.audio, per_token),
            per_input_image=None if image and image == prompt else image,
            per_request=_known(pricing.request, usd),
            per_web_search=_known(pricing.web_search, usd),
            tiers=_tiers(pricing.overrides or ()),
        )
        outputs = tuple(wire.architecture.output_modalities) or ("text",)
        doubt = zero_price_doubt(outputs, wire.description)
        zeroed: tuple[str, ...] = ()
        if doubt is not None:
            prices, zeroed = zeros_unknown(prices)
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
            zero_prices_unknown=(
                f"listed at 0 for {', '.join(zeroed)}, but {doubt}" if zeroed else None
            ),
        )


def _reasoning(value: str | None, completion: Decimal | None) -> Decimal | None:
    reasoning = _known(value, per_token)
    if reasoning == 0 and completion:
        return None  # no separate reasoning price: billed as output, not free
    return reasoning


def _tiers(overrides: Sequence[OpenRouterOverride]) -> tuple[PriceTier, ...]:
    tiers = []
    for override in overrides:
        if override.min_prompt_tokens is None:
            continue
        tier = PriceTier(
            above_prompt_tokens=override.min_prompt_tokens,
            prompt=_known(override.prompt, per_token),
            completion=_known(override.completion, per_token),
            cache_read=_known(override.input_cache_read, per_token),
            cache_write=_known(override.input_cache_write, per_token),
            reasoning=_reasoning(
                override.internal_reasoning, _known(override.completion, per_token)
            ),
            audio_input=_known(override.audio, per_token),
        )
        known = {kept.above_prompt_tokens for kept in tiers}
        if not tier.is_unpriced() and tier.above_prompt_tokens not in known:
            tiers.append(tier)
    return tuple(sorted(tiers, key=lambda tier: tier.above_prompt_tokens))
