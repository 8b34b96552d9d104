"""Hugging Face Inference Providers router ``GET /v1/models``: prices per upstream provider.

Each model lists ``providers[]`` (Together, Fireworks, Novita, ...), each with its own
``status``, ``context_length`` and ``pricing.input`` / ``pricing.output`` in USD per 1M
tokens. The router serves the plain model id by its selection policy and accepts
``<model>:<provider>`` to pin one upstream provider.

How several upstream providers become rows (one row per listed model id, the id exactly as
the router returns it; ``parse_item`` yields one row per item, see the module report):

* Only providers with ``status == "live"`` count; a model with none is unpriced.
* A live provider's price is known when ``pricing`` has both numbers and they are not both
  0. ``0``/``0`` is unknown unless the provider also says ``is_free: true`` (the router
  writes ``0``/``0`` with ``is_free: false`` for providers it cannot price yet).
* When every priced live provider quotes the same input/output price, that is the price.
* When they differ, the row carries the cheapest one (lowest output price, then lowest
  input price: the router's ``:cheapest`` policy) and ``price_source`` says so and names
  the provider, so distinct prices are never merged silently. Live providers without a
  known price are named there too (a plain-id request may route to them).
* ``context_length`` is the smallest one among live providers (fits any route), and a
  capability is listed only when every live provider supports it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import infer_type_from_id, type_from_output_modalities
from catalog_pipeline.domain.rows import Prices, ProviderModel
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.wire import epoch_datetime

LIVE = "live"


class RouterPricing(BaseModel):
    model_config = ConfigDict(extra="allow")

    input: Decimal | int | None = None
    output: Decimal | int | None = None


class RouterProvider(BaseModel):
    model_config = ConfigDict(extra="allow")

    provider: str = Field(min_length=1)
    status: str
    context_length: int | None = Field(default=None, ge=0)
    pricing: RouterPricing | None = None
    is_free: bool | None = None
    supports_tools: bool | None = None
    supports_structured_output: bool | None = None


class RouterArchitecture(BaseModel):
    model_config = ConfigDict(extra="allow")

    input_modalities: list[str] = Field(default_factory=list)
    output_modalities: list[str] = Field(default_factory=list)


class RouterModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    created: int | None = None
    owned_by: str | None = None
    architecture: RouterArchitecture = RouterArchitecture()
    providers: list[RouterProvider]


def _provider_price(upstream: RouterProvider) -> tuple[Decimal, Decimal] | None:
    """(prompt, completion) in USD per token for one live upstream provider, or None."""
    pricing = upstream.pricing
    has_numbers = pricing is not None and pricing.input is not None and pricing.output is not None
    if has_numbers and (pricing.input != 0 or pricing.output != 0):
        return per_million(pricing.input), per_million(pricing.output)
    if upstream.is_free is True:
        return Decimal(0), Decimal(0)
    return None


def _choose(live: list[RouterProvider]) -> tuple[Prices, str]:
    quotes = [(p, price) for p in live if (price := _provider_price(p)) is not None]
    if not quotes:
        return Prices(), "none"
    unpriced = [p.provider for p in live if _provider_price(p) is None]
    gap = f"; unpriced live providers: {', '.join(unpriced)}" if unpriced else ""
    distinct = {price for _, price in quotes}
    if len(distinct) == 1:
        prompt, completion = quotes[0][1]
        source = "provider_api"
        if unpriced:
            source += f": priced by {len(quotes)} of {len(live)} live upstream providers{gap}"
        return Prices(prompt=prompt, completion=completion), source[:300]
    cheapest, (prompt, completion) = min(quotes, key=lambda q: (q[1][1], q[1][0]))
    note = (
        f"provider_api: cheapest of {len(quotes)} live upstream providers with "
        f"different prices ({cheapest.provider}); pin one with <model>:<provider>{gap}"
    )
    return Prices(prompt=prompt, completion=completion), note[:300]


class HuggingFaceRouterAPI(ModelListAPI):
    dialect = "huggingface-router"

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = RouterModelItem.model_validate(item)
        live = [p for p in wire.providers if p.status == LIVE]
        prices, source = _choose(live)
        outputs = tuple(wire.architecture.output_modalities) or ("text",)
        inputs = tuple(wire.architecture.input_modalities) or ("text",)
        kind = type_from_output_modalities(outputs)
        if kind is None:
            kind = infer_type_from_id(wire.id)
        contexts = [p.context_length for p in live if p.context_length]
        capabilities: tuple[str, ...] = ()
        if live and all(p.supports_tools for p in live):
            capabilities += ("tools",)
        if live and all(p.supports_structured_output for p in live):
            capabilities += ("structured_outputs",)
        if "image" in inputs:
            capabilities += ("vision",)
        return ProviderModel(
            provider_model_id=wire.id,
            publisher_hint=wire.owned_by or (wire.id.split("/", 1)[0] if "/" in wire.id else None),
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=min(contexts) if contexts else None,
            prices=prices,
            price_source=source,
            capabilities=capabilities,
            created_at=epoch_datetime(wire.created),
        )


PROVIDER = ProviderSpec(
    slug="huggingface",
    name="Hugging Face Inference Providers",
    base_url="https://router.huggingface.co",
    list_path="/v1/models",
    api_key_env=("HF_TOKEN", "HUGGINGFACE_HUB_TOKEN"),
    key_required=False,
    parser=HuggingFaceRouterAPI(),
    price_unit=(
        "USD per 1M tokens per upstream provider (providers[].pricing.input/output); "
        "one row per model: the shared price, or the cheapest live provider's, labelled"
    ),
    docs_url="https://huggingface.co/docs/inference-providers/index",
)
