"""AIHubMix ``GET https://aihubmix.com/api/v1/models``: every model type, priced per 1M tokens.

The body is ``{"success": true, "data": [...], "message": ""}``; ``success: false`` is an
error even with HTTP 200. The list is public (a key is sent when configured) and comes in
one page. Items are keyed by ``model_id``; ``types`` (``llm``, ``embedding``,
``image_generation``, ``video``, ``tts``, ``stt``, ``rerank``), ``features`` and
``input_modalities`` are comma-separated strings; ``context_length`` and ``max_output``
use 0 for "not known".

Price unit: ``pricing.input`` / ``output`` / ``cache_read`` / ``cache_write`` are numbers in
**USD per 1M tokens**. AIHubMix's Models-API page labels them "per 1K tokens", but the
served values are per million: ``claude-sonnet-4-6`` is served as ``3`` / ``15`` (Anthropic
lists $3 / $15 per 1M), and both models.dev's AIHubMix sync ("quotes USD per 1M tokens
directly") and charmbracelet/catwalk read them as per-million. A price field AIHubMix omits
is unknown; ``0`` is free (AIHubMix lists its subsidised ``-free`` models at 0). Only
``llm`` and ``embedding`` models are token-billed; the rest stay unpriced here.

Long-context prices come as ``pricing.tiers``: ``[{"tier": {"type": "context", "size":
200000}, "input", "output", "cache_read", "cache_write"}]`` in the same unit, a
:class:`PriceTier` above ``size`` prompt tokens; a tier of another ``type`` is a condition
this parser does not know and is left out.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import infer_type_from_id, modalities_for
from catalog_pipeline.domain.rows import ModelType, Prices, PriceTier, ProviderModel
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec

_TYPES = {
    "llm": ModelType.CHAT,
    "embedding": ModelType.EMBEDDING,
    "rerank": ModelType.RERANK,
    "image_generation": ModelType.IMAGE,
    "video": ModelType.VIDEO,
    "tts": ModelType.AUDIO,
    "stt": ModelType.TRANSCRIPTION,
}
_TOKEN_BILLED = {ModelType.CHAT, ModelType.EMBEDDING}
_FEATURE_CAPABILITIES = (
    ("tools", "tools"),
    ("function_calling", "tools"),
    ("thinking", "reasoning"),
    ("structured_outputs", "structured_outputs"),
    ("web", "web_search"),
)
_MODALITIES = ("text", "image", "audio", "video", "pdf")


class AIHubMixTierCondition(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    size: int = Field(gt=0)


class AIHubMixTier(BaseModel):
    model_config = ConfigDict(extra="allow")

    tier: AIHubMixTierCondition
    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None


class AIHubMixPricing(BaseModel):
    model_config = ConfigDict(extra="allow")

    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    tiers: list[AIHubMixTier] | None = None


class AIHubMixModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    model_id: str = Field(min_length=1)
    model_name: str | None = None
    vendor: str | None = None
    types: str | None = None
    features: str | None = None
    input_modalities: str | None = None
    context_length: int | None = Field(default=None, ge=0)
    max_output: int | None = Field(default=None, ge=0)
    pricing: AIHubMixPricing | None = None


def _split(value: str | None) -> list[str]:
    return [part.strip().lower() for part in (value or "").split(",") if part.strip()]


def _per_million(value: Decimal | None) -> Decimal | None:
    return None if value is None else per_million(value)


def _tiers(tiers: list[AIHubMixTier]) -> tuple[PriceTier, ...]:
    found: dict[int, PriceTier] = {}
    for tier in tiers:
        if tier.tier.type != "context" or tier.tier.size in found:
            continue
        priced = PriceTier(
            above_prompt_tokens=tier.tier.size,
            prompt=_per_million(tier.input),
            completion=_per_million(tier.output),
            cache_read=_per_million(tier.cache_read),
            cache_write=_per_million(tier.cache_write),
        )
        if not priced.is_unpriced():
            found[tier.tier.size] = priced
    return tuple(found[size] for size in sorted(found))


class AIHubMixAPI(ModelListAPI):
    dialect = "aihubmix"

    def error_message(self, envelope: dict[str, Any], items_found: bool) -> str | None:
        if envelope.get("success") is False:
            return str(envelope.get("message") or "success: false")
        return super().error_message(envelope, items_found)

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = AIHubMixModelItem.model_validate(item)
        declared = [_TYPES[t] for t in _split(wire.types) if t in _TYPES]
        kind = declared[0] if declared else infer_type_from_id(wire.model_id)
        prices = Prices()
        if wire.pricing is not None and kind in _TOKEN_BILLED:
            prices = Prices(
                prompt=_per_million(wire.pricing.input),
                completion=_per_million(wire.pricing.output),
                cache_read=_per_million(wire.pricing.cache_read),
                cache_write=_per_million(wire.pricing.cache_write),
                tiers=_tiers(wire.pricing.tiers or []),
            )
        default_in, default_out = modalities_for(kind)
        inputs = tuple(m for m in _split(wire.input_modalities) if m in _MODALITIES)
        features = set(_split(wire.features))
        capabilities = tuple(
            dict.fromkeys(label for name, label in _FEATURE_CAPABILITIES if name in features)
        )
        if "image" in inputs:
            capabilities += ("vision",)
        return ProviderModel(
            provider_model_id=wire.model_id,
            name=wire.model_name,
            publisher_hint=wire.vendor,
            model_type=kind,
            input_modalities=inputs or default_in,
            output_modalities=default_out,
            context_length=wire.context_length or None,
            max_output_tokens=wire.max_output or None,
            prices=prices,
            price_source="provider_api" if not prices.is_unpriced() else "none",
            capabilities=capabilities,
        )


PROVIDER = ProviderSpec(
    slug="aihubmix",
    name="AIHubMix",
    base_url="https://aihubmix.com",
    list_path="/api/v1/models",
    key_required=False,
    parser=AIHubMixAPI(),
    price_unit=(
        "USD per 1M tokens, numbers (pricing.input/output/cache_read/cache_write); "
        "the docs say per 1K, the served values are per 1M"
    ),
    docs_url="https://docs.aihubmix.com/en/api/Models-API",
)
