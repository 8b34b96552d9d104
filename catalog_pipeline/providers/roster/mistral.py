"""Mistral ``GET /v1/models``: the OpenAI list shape plus ``capabilities`` flags, no prices.

Each item adds ``capabilities`` (``completion_chat``, ``completion_fim``,
``function_calling``, ``fine_tuning``, ``vision``, and on newer models ``reasoning``,
``audio``, ``classification``, ``moderation``, ``ocr``), ``max_context_length``,
``aliases``, ``deprecation`` (ISO 8601 or null) and ``type`` (``base`` or
``fine-tuned``). Every alias is also listed as its own row (``mistral-large-latest``
and ``mistral-large-2411``), and ``name`` holds the canonical model id rather than a
display name, so it is not used as one. The list is scoped to the key's workspace and
includes the workspace's fine-tuned models (``ft:...``). Prices are the curated rows below.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import infer_type_from_id, modalities_for
from catalog_pipeline.domain.rows import ModelType, Prices, ProviderModel
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec
from catalog_pipeline.providers.wire import epoch_datetime

_CAPABILITY_LABELS = (
    ("function_calling", "tools"),
    ("reasoning", "reasoning"),
    ("vision", "vision"),
    ("completion_fim", "fim"),
    ("fine_tuning", "fine_tuning"),
)


class MistralModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    object: str | None = None
    created: int | None = None
    owned_by: str | None = None
    capabilities: dict[str, Any] = Field(default_factory=dict)
    max_context_length: int | None = Field(default=None, ge=0)
    deprecation: str | None = None
    type: str | None = None


def _flag(capabilities: dict[str, Any], name: str) -> bool:
    return capabilities.get(name) is True


def _model_type(model_id: str, caps: dict[str, Any]) -> ModelType:
    if _flag(caps, "completion_chat"):
        return ModelType.CHAT
    if _flag(caps, "moderation") or _flag(caps, "classification"):
        return ModelType.MODERATION
    if _flag(caps, "completion_fim"):
        return ModelType.COMPLETION
    by_id = infer_type_from_id(model_id)
    if by_id is not ModelType.CHAT:
        return by_id
    return ModelType.OTHER


class MistralAPI(ModelListAPI):
    dialect = "mistral"

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = MistralModelItem.model_validate(item)
        caps = wire.capabilities
        kind = _model_type(wire.id, caps)
        inputs, outputs = modalities_for(kind)
        if kind is ModelType.CHAT:
            extra_inputs = [
                m for m, flag in (("image", "vision"), ("audio", "audio")) if caps.get(flag) is True
            ]
            inputs = ("text", *extra_inputs)
        capabilities = tuple(label for name, label in _CAPABILITY_LABELS if _flag(caps, name))
        return ProviderModel(
            provider_model_id=wire.id,
            publisher_hint=wire.owned_by or "mistral",
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=wire.max_context_length or None,
            capabilities=capabilities,
            deprecation_date=dt.date.fromisoformat(wire.deprecation[:10])
            if wire.deprecation
            else None,
            price_source="none",
            created_at=epoch_datetime(wire.created),
        )


PRICING_PAGE = "https://mistral.ai/pricing#api-pricing"
CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="mistral-large-latest",
        prices=Prices(prompt=per_million("0.5"), completion=per_million("1.5")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=("moving alias (Mistral Large 3); agrees with LiteLLM 1.109.1 + models.dev + Portkey"),
    ),
    CuratedPrice(
        provider_model_id="codestral-latest",
        prices=Prices(prompt=per_million("0.3"), completion=per_million("0.9")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="moving alias; agrees with LiteLLM 1.109.1 + models.dev + Portkey",
    ),
    CuratedPrice(
        provider_model_id="mistral-embed",
        prices=Prices(prompt=per_million("0.1")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="input only; agrees with LiteLLM 1.109.1 + genai-prices + models.dev + Portkey",
    ),
)


PROVIDER = ProviderSpec(
    slug="mistral",
    name="Mistral AI",
    base_url="https://api.mistral.ai",
    list_path="/v1/models",
    parser=MistralAPI(),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://docs.mistral.ai/api/endpoint/models",
)
