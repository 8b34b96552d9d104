"""Helicone's public model registry: ``GET https://api.helicone.ai/v1/public/model-registry/models``.

The body is Helicone's result envelope ``{"data": {"models": [...], "total", "filters"},
"error": null}``; ``"error": null`` is the success case, a non-null ``error`` is a failure.
The list is public (no key) and unpaginated.

A model (``id`` such as ``claude-4.5-sonnet``) lists one ``endpoints`` entry per upstream
provider that serves it, each with ``pricing`` numbers in **USD per 1M tokens**
(``prompt``, ``completion``, ``cacheRead``, ``cacheWrite``). One row is stored per model,
priced from the endpoint of the model's own author when Helicone lists one (first-party
price), otherwise from the first priced endpoint in Helicone's order; the endpoints are
not averaged or mixed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import (
    capabilities_from_parameters,
    infer_type_from_id,
    modalities_for,
    type_from_output_modalities,
)
from catalog_pipeline.domain.rows import ModelType, Prices, ProviderModel
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec


class HeliconePricing(BaseModel):
    model_config = ConfigDict(extra="allow")

    prompt: Decimal | None = None
    completion: Decimal | None = None
    cacheRead: Decimal | None = None
    cacheWrite: Decimal | None = None


class HeliconeEndpoint(BaseModel):
    model_config = ConfigDict(extra="allow")

    provider: str
    providerSlug: str | None = None
    pricing: HeliconePricing | None = None


class HeliconeModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    name: str | None = None
    author: str | None = None
    contextLength: int | None = Field(default=None, ge=0)
    maxOutput: int | None = Field(default=None, ge=0)
    inputModalities: list[str | None] = Field(default_factory=list)
    outputModalities: list[str | None] = Field(default_factory=list)
    supportedParameters: list[str | None] = Field(default_factory=list)
    endpoints: list[HeliconeEndpoint] = Field(default_factory=list)


def _chosen_pricing(wire: HeliconeModelItem) -> HeliconePricing | None:
    priced = [e for e in wire.endpoints if e.pricing is not None]
    own = [e for e in priced if wire.author and e.provider == wire.author]
    chosen = (own or priced or [None])[0]
    return chosen.pricing if chosen is not None else None


def _per_million(value: Decimal | None) -> Decimal | None:
    return None if value is None else per_million(value)


class HeliconeAPI(ModelListAPI):
    dialect = "helicone"

    items_key = "data.models"

    def error_message(self, envelope: dict[str, Any], items_found: bool) -> str | None:
        present = {
            k: v
            for k, v in envelope.items()
            if not ((k == "error" or k.startswith("error.")) and v is None)
        }
        return super().error_message(present, items_found)

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = HeliconeModelItem.model_validate(item)
        pricing = _chosen_pricing(wire)
        prices = Prices()
        if pricing is not None:
            prices = Prices(
                prompt=_per_million(pricing.prompt),
                completion=_per_million(pricing.completion),
                cache_read=_per_million(pricing.cacheRead),
                cache_write=_per_million(pricing.cacheWrite),
            )
        outputs = tuple(m.lower() for m in wire.outputModalities if m)
        inputs = tuple(m.lower() for m in wire.inputModalities if m)
        kind = type_from_output_modalities(outputs)
        if kind is None:
            kind = infer_type_from_id(wire.id) if not outputs else ModelType.CHAT
        default_in, default_out = modalities_for(kind)
        params = {p for p in wire.supportedParameters if p}
        capabilities = capabilities_from_parameters(params)
        if "image" in inputs:
            capabilities += ("vision",)
        return ProviderModel(
            provider_model_id=wire.id,
            name=wire.name,
            publisher_hint=wire.author,
            model_type=kind,
            input_modalities=inputs or default_in,
            output_modalities=outputs or default_out,
            context_length=wire.contextLength or None,
            max_output_tokens=wire.maxOutput or None,
            prices=prices,
            price_source="provider_api" if not prices.is_unpriced() else "none",
            capabilities=capabilities,
        )


PROVIDER = ProviderSpec(
    slug="helicone",
    name="Helicone AI Gateway",
    base_url="https://api.helicone.ai",
    list_path="/v1/public/model-registry/models",
    key_required=False,
    parser=HeliconeAPI(),
    price_unit=(
        "USD per 1M tokens, numbers (endpoints[].pricing.prompt/completion/cacheRead/cacheWrite)"
    ),
    docs_url="https://helicone.mintlify.app/rest/models/get-v1public-model-registry-models",
)
