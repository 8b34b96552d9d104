"""Together ``GET /v1/models``: a bare JSON array; token prices in USD per 1M tokens.

Every model type is listed (chat, language, code, embedding, moderation, rerank, image,
video, audio, transcribe). ``pricing.input`` / ``pricing.output`` are USD per 1M tokens
only for the token-billed types; for audio (TTS) ``input`` is per 1M characters and for
image and video models both are 0 because those are billed per image or per video, so
neither becomes a token price. Together writes ``0``/``0`` for models it does not bill per
token; that is "unknown", unless the model id marks it free.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import modalities_for
from catalog_pipeline.domain.rows import ModelType, Prices, ProviderModel
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.wire import epoch_datetime

_TYPES = {
    "chat": ModelType.CHAT,
    "language": ModelType.COMPLETION,
    "code": ModelType.COMPLETION,
    "embedding": ModelType.EMBEDDING,
    "moderation": ModelType.MODERATION,
    "rerank": ModelType.RERANK,
    "image": ModelType.IMAGE,
    "video": ModelType.VIDEO,
    "audio": ModelType.AUDIO,
    "transcribe": ModelType.TRANSCRIPTION,
}
_TOKEN_BILLED = {"chat", "language", "code", "embedding", "moderation", "rerank"}


class TogetherPricing(BaseModel):
    model_config = ConfigDict(extra="allow")

    input: Decimal = Decimal(0)
    output: Decimal = Decimal(0)


class TogetherModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    type: str = "chat"
    display_name: str | None = None
    organization: str | None = None
    context_length: int | None = Field(default=None, ge=0)
    created: int | None = None
    pricing: TogetherPricing | None = None


def _is_marked_free(model_id: str) -> bool:
    return model_id.lower().endswith("-free")


class TogetherAPI(ModelListAPI):
    dialect = "together"

    items_key = None

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = TogetherModelItem.model_validate(item)
        kind = _TYPES.get(wire.type, ModelType.OTHER)
        prices = Prices()
        pricing = wire.pricing
        if wire.type in _TOKEN_BILLED and pricing is not None:
            zero = pricing.input == 0 and pricing.output == 0
            if not zero or _is_marked_free(wire.id):
                prices = Prices(
                    prompt=per_million(pricing.input), completion=per_million(pricing.output)
                )
        inputs, outputs = modalities_for(kind)
        return ProviderModel(
            provider_model_id=wire.id,
            name=wire.display_name,
            publisher_hint=wire.organization,
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=wire.context_length or None,
            prices=prices,
            price_source="provider_api" if not prices.is_unpriced() else "none",
            created_at=epoch_datetime(wire.created),
        )


PROVIDER = ProviderSpec(
    slug="together",
    name="Together AI",
    base_url="https://api.together.xyz",
    list_path="/v1/models",
    api_key_env=("TOGETHER_AI_API_KEY",),
    parser=TogetherAPI(),
    price_unit="USD per 1M tokens (pricing.input / pricing.output)",
    docs_url="https://docs.together.ai/reference/models-1",
)
