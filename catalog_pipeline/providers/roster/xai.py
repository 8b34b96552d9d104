"""xAI ``GET /v1/language-models``: ``models[]`` with integer prices in 1/10,000 USD per 1M tokens.

xAI has a plain OpenAI-style ``/v1/models`` (ids only) and the richer
``/v1/language-models``, which adds ``input_modalities``, ``output_modalities``,
``aliases`` and integer prices: ``prompt_text_token_price``,
``cached_prompt_text_token_price`` and ``completion_text_token_price`` are in units of
1/10,000 USD (one hundredth of a cent) per 1,000,000 tokens, so ``30000`` is $3 per 1M
tokens (grok-3, grok-4). The conversion is
:func:`~catalog_pipeline.domain.units.ten_thousandths_per_million`.

The service is gRPC-backed and its JSON writes unset integers as ``0``; no xAI language
model is free, so a ``0`` or missing price is "unknown". The ``*_long_context`` prices
(above ``long_context_threshold`` tokens) are not modelled: the base tier is stored.
``prompt_image_token_price`` (per image token) and ``search_price`` have no field here.

A key without credits gets HTTP 200 with ``{"code": ..., "error": ...}``; the base
:meth:`ModelListAPI.error_message` turns that into a failed partition.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.rows import ModelType, Prices, ProviderModel
from catalog_pipeline.domain.units import ten_thousandths_per_million
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.wire import epoch_datetime


class XAILanguageModel(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    created: int | None = None
    owned_by: str | None = None
    aliases: list[str] = Field(default_factory=list)
    input_modalities: list[str] = Field(default_factory=list)
    output_modalities: list[str] = Field(default_factory=list)
    prompt_text_token_price: int | None = Field(default=None, ge=0)
    cached_prompt_text_token_price: int | None = Field(default=None, ge=0)
    completion_text_token_price: int | None = Field(default=None, ge=0)
    max_prompt_length: int | None = Field(default=None, ge=0)


def _price(value: int | None) -> Decimal | None:
    """A wire price in 1/10,000 USD per 1M tokens; 0 is the gRPC default for "unset"."""
    if not value:
        return None
    return ten_thousandths_per_million(value)


class XAIAPI(ModelListAPI):
    dialect = "xai"

    items_key = "models"

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = XAILanguageModel.model_validate(item)
        prices = Prices(
            prompt=_price(wire.prompt_text_token_price),
            completion=_price(wire.completion_text_token_price),
            cache_read=_price(wire.cached_prompt_text_token_price),
        )
        inputs = tuple(m.lower() for m in wire.input_modalities) or ("text",)
        outputs = tuple(m.lower() for m in wire.output_modalities) or ("text",)
        capabilities = ("vision",) if "image" in inputs else ()
        return ProviderModel(
            provider_model_id=wire.id,
            publisher_hint=wire.owned_by or "xai",
            model_type=ModelType.CHAT,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=wire.max_prompt_length or None,
            prices=prices,
            price_source="none" if prices.is_unpriced() else "provider_api",
            capabilities=capabilities,
            created_at=epoch_datetime(wire.created),
        )


PROVIDER = ProviderSpec(
    slug="xai",
    name="xAI",
    base_url="https://api.x.ai",
    list_path="/v1/language-models",
    parser=XAIAPI(),
    price_unit="integer 1/10,000 USD per 1M tokens (prompt/cached/completion_text_token_price)",
    docs_url="https://docs.x.ai/docs/api-reference#list-language-models",
)
