"""NEAR AI Cloud ``GET https://cloud-api.near.ai/v1/models`` (public): two price units.

OpenAI items plus ``name``, ``context_length``, ``max_output_length``,
``input_modalities``, ``output_modalities``, ``supported_features`` and ``pricing``.
``pricing.input`` and ``pricing.output`` are numbers in USD per 1M tokens;
``pricing.input_cache_read`` is a decimal string in USD per single token (a different unit
in the same object), so each field goes through the units function named for its own unit.
A cache-read price above the input price means the units were misread and rejects the
item. ``0``/``0`` is unknown (NEAR has no free flag).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import (
    infer_type_from_id,
    modalities_for,
    type_from_output_modalities,
)
from catalog_pipeline.domain.rows import Prices, ProviderModel
from catalog_pipeline.domain.units import per_million, per_token
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.wire import epoch_datetime


class NearPricing(BaseModel):
    model_config = ConfigDict(extra="allow")

    input: Decimal | int
    output: Decimal | int
    input_cache_read: str | None = None


class NearModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    created: int | None = None
    owned_by: str | None = None
    name: str | None = None
    pricing: NearPricing | None = None
    context_length: int | None = Field(default=None, ge=0)
    max_output_length: int | None = Field(default=None, ge=0)
    input_modalities: list[str] = Field(default_factory=list)
    output_modalities: list[str] = Field(default_factory=list)
    supported_features: list[str] = Field(default_factory=list)


_NEAR_FEATURES = (
    ("tools", "tools"),
    ("function_calling", "tools"),
    ("reasoning", "reasoning"),
    ("structured_outputs", "structured_outputs"),
    ("vision", "vision"),
)


def _near_prices(pricing: NearPricing | None) -> Prices:
    if pricing is None or (pricing.input == 0 and pricing.output == 0):
        return Prices()
    prompt = per_million(pricing.input)
    cache_read = None
    if pricing.input_cache_read is not None and pricing.input_cache_read.strip():
        cache_read = per_token(pricing.input_cache_read)
        if cache_read > prompt:
            raise ValueError(
                f"input_cache_read {pricing.input_cache_read!r} (USD/token) is above the "
                f"input price {pricing.input} (USD/1M): units changed?"
            )
    return Prices(prompt=prompt, completion=per_million(pricing.output), cache_read=cache_read)


class NearAPI(ModelListAPI):
    dialect = "near"

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = NearModelItem.model_validate(item)
        prices = _near_prices(wire.pricing)
        outputs = tuple(wire.output_modalities)
        kind = type_from_output_modalities(outputs)
        if kind is None:
            kind = infer_type_from_id(wire.id)
        default_in, default_out = modalities_for(kind)
        inputs = tuple(wire.input_modalities) or default_in
        features = set(wire.supported_features)
        capabilities = tuple(
            dict.fromkeys(label for key, label in _NEAR_FEATURES if key in features)
        )
        return ProviderModel(
            provider_model_id=wire.id,
            name=wire.name,
            publisher_hint=wire.id.split("/", 1)[0] if "/" in wire.id else wire.owned_by,
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs or default_out,
            context_length=wire.context_length or None,
            max_output_tokens=wire.max_output_length or None,
            prices=prices,
            price_source="none" if prices.is_unpriced() else "provider_api",
            capabilities=capabilities,
            created_at=epoch_datetime(wire.created),
        )


PROVIDER = ProviderSpec(
    slug="near",
    name="NEAR AI Cloud",
    base_url="https://cloud-api.near.ai",
    list_path="/v1/models",
    api_key_env=("NEARAI_API_KEY", "NEAR_AI_API_KEY"),
    key_required=False,
    parser=NearAPI(),
    price_unit=(
        "pricing.input/output: USD per 1M tokens (numbers); "
        "pricing.input_cache_read: USD per token (string)"
    ),
    docs_url="https://docs.near.ai/",
)
