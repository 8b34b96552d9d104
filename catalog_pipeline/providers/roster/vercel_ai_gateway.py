"""Vercel AI Gateway ``GET https://ai-gateway.vercel.sh/v1/models``: USD per token, as strings.

The list is public and unpaginated: ``{"object": "list", "data": [...]}``. Each item says
what it is in ``type`` (``language``, ``embedding``, ``image``, ``video``, ``reranking``)
and prices it in ``pricing`` with decimal strings in USD per single token (``input``,
``output``, ``input_cache_read``, ``input_cache_write``). Long-context prices come as
``input_tiers`` / ``output_tiers`` (``{"cost", "min", "max"}``, ``min`` the first prompt
size the tier bills, inclusive: ``[{"min": 0, "max": 200001}, {"min": 200001}]`` is the
publishers' "over 200k" rule). The tier starting at 0 is the base price (used only when
the base price is absent); each later ``min`` is a :class:`PriceTier` above ``min - 1``
prompt tokens with that input and output price. Vercel lists no tiered cache prices, so
a tier's cache prices are unknown (a long cached request answers "unknown", it is not
billed at the short-request cache price). ``varies_by_provider`` marks a headline price
that the upstream provider may change; it is still the price Vercel lists.

Only ``language`` and ``embedding`` models are billed per token; image, video and
reranking models are priced per image, second or search, which this list does not state
in a documented unit, so they stay unpriced rather than being divided by a token factor.
``deprecated_at`` is a Unix timestamp (LiteLLM's sync script compares it with
milliseconds; seconds are accepted too).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import modalities_for
from catalog_pipeline.domain.rows import ModelType, Prices, PriceTier, ProviderModel
from catalog_pipeline.domain.units import per_token
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.wire import epoch_datetime

_TYPES = {
    "language": ModelType.CHAT,
    "embedding": ModelType.EMBEDDING,
    "image": ModelType.IMAGE,
    "video": ModelType.VIDEO,
    "reranking": ModelType.RERANK,
}
_TOKEN_BILLED = {"language", "embedding"}
_TAG_CAPABILITIES = (
    ("tool-use", "tools"),
    ("reasoning", "reasoning"),
    ("vision", "vision"),
    ("file-input", "file_input"),
    ("implicit-caching", "prompt_caching"),
)
"""A timestamp above this (year 5138 in seconds) is in milliseconds."""


class VercelTier(BaseModel):
    model_config = ConfigDict(extra="allow")

    cost: str
    min: int | None = None
    max: int | None = None


class VercelPricing(BaseModel):
    model_config = ConfigDict(extra="allow")

    input: str | None = None
    output: str | None = None
    input_cache_read: str | None = None
    input_cache_write: str | None = None
    input_tiers: list[VercelTier] | None = None
    output_tiers: list[VercelTier] | None = None
    varies_by_provider: bool = False


class VercelModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    name: str | None = None
    owned_by: str | None = None
    type: str
    created: int | None = None
    released: int | None = None
    context_window: int | None = Field(default=None, ge=0)
    max_tokens: int | None = Field(default=None, ge=0)
    tags: list[str] = Field(default_factory=list)
    pricing: VercelPricing | None = None
    deprecated_at: int | None = None


def _base(price: str | None, tiers: list[VercelTier] | None) -> str | None:
    if price is not None:
        return price
    return tiers[0].cost if tiers else None


def _known(value: str | None) -> Decimal | None:
    return None if value is None else per_token(value)


def _tiers(inputs: list[VercelTier], outputs: list[VercelTier]) -> tuple[PriceTier, ...]:
    """Long-context tiers: input and output tiers that start at the same ``min`` > 0."""
    by_start: dict[int, dict[str, Decimal]] = {}
    for field, tiers in (("prompt", inputs), ("completion", outputs)):
        for tier in tiers:
            if tier.min:
                by_start.setdefault(tier.min, {})[field] = per_token(tier.cost)
    return tuple(
        PriceTier(above_prompt_tokens=start - 1, **prices)
        for start, prices in sorted(by_start.items())
        if start > 1
    )


class VercelAIGatewayAPI(ModelListAPI):
    dialect = "vercel-ai-gateway"

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = VercelModelItem.model_validate(item)
        kind = _TYPES.get(wire.type, ModelType.OTHER)
        pricing = wire.pricing
        prices = Prices()
        if pricing is not None and wire.type in _TOKEN_BILLED:
            prices = Prices(
                prompt=_known(_base(pricing.input, pricing.input_tiers)),
                completion=_known(_base(pricing.output, pricing.output_tiers)),
                cache_read=_known(pricing.input_cache_read),
                cache_write=_known(pricing.input_cache_write),
                tiers=_tiers(pricing.input_tiers or [], pricing.output_tiers or []),
            )
        inputs, outputs = modalities_for(kind)
        tags = set(wire.tags)
        if kind is ModelType.CHAT:
            inputs = ("text",) + (("image",) if "vision" in tags else ())
            inputs += ("file",) if "file-input" in tags else ()
            outputs = ("text", "image") if "image-generation" in tags else ("text",)
        deprecated = epoch_datetime(wire.deprecated_at)
        return ProviderModel(
            provider_model_id=wire.id,
            name=wire.name,
            publisher_hint=wire.owned_by or (wire.id.split("/", 1)[0] if "/" in wire.id else None),
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=wire.context_window or None,
            max_output_tokens=wire.max_tokens or None,
            prices=prices,
            price_source="provider_api" if not prices.is_unpriced() else "none",
            capabilities=tuple(label for tag, label in _TAG_CAPABILITIES if tag in tags),
            deprecation_date=deprecated.date() if deprecated else None,
            created_at=epoch_datetime(wire.released or wire.created),
        )


PROVIDER = ProviderSpec(
    slug="vercel-ai-gateway",
    name="Vercel AI Gateway",
    base_url="https://ai-gateway.vercel.sh",
    list_path="/v1/models",
    api_key_env=("AI_GATEWAY_API_KEY",),
    key_required=False,
    parser=VercelAIGatewayAPI(),
    price_unit=(
        "USD per token, decimal strings (pricing.input/output/input_cache_read/"
        "input_cache_write); long-context input_tiers/output_tiers as tiers"
    ),
    docs_url="https://vercel.com/docs/ai-gateway/sdks-and-apis/rest-api",
)
