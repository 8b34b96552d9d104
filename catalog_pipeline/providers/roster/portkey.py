"""Portkey: the gateway's model list, and Portkey's pricing configs in US cents per token.

**Model list.** ``GET https://api.portkey.ai/v1/models`` with the ``x-portkey-api-key``
header. Sent without a provider header it answers the workspace's Model Catalog (the
"integrated" models it can route to, ids such as ``@openai-prod/gpt-4o``) in the OpenAI
list shape ``{"object": "list", "data": [{"id", "object", "created", "owned_by"}]}``, with
no prices and no pagination. It is parsed by the shared OpenAI-compatible parser.

**Prices.** Portkey publishes its pricing database (github.com/Portkey-AI/models) as one
JSON object per upstream provider at ``https://configs.portkey.ai/pricing/<provider>.json``
(and per model at ``https://api.portkey.ai/model-configs/pricing/<provider>/<model>``):
``{"<model>": {"pricing_config": {"pay_as_you_go": {"request_token": {"price": ...}, ...}}}}``
with every price in **US cents per token**. Those files are maps keyed by model name, not
arrays, so the streaming page reader cannot list them yet; :func:`pricing_config_prices`
is the one place their unit is converted, ready for when the reader can iterate a map
(see the report of the change that adds Portkey).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from catalog_pipeline.domain.rows import Prices
from catalog_pipeline.domain.units import cents_per_token
from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI
from catalog_pipeline.providers.spec import AuthStyle, ProviderSpec


class PortkeyRate(BaseModel):
    model_config = ConfigDict(extra="allow")

    price: Decimal


class PortkeyPayAsYouGo(BaseModel):
    model_config = ConfigDict(extra="allow")

    request_token: PortkeyRate | None = None
    response_token: PortkeyRate | None = None
    cache_read_input_token: PortkeyRate | None = None
    cache_write_input_token: PortkeyRate | None = None


class PortkeyPricingConfig(BaseModel):
    model_config = ConfigDict(extra="allow")

    pay_as_you_go: PortkeyPayAsYouGo | None = None


def _cents(rate: PortkeyRate | None) -> Decimal | None:
    return None if rate is None else cents_per_token(rate.price)


def pricing_config_prices(entry: dict[str, Any]) -> Prices:
    """Token prices of one Portkey pricing entry (``{"pricing_config": {...}}``), in USD/token.

    A rate Portkey omits is unknown; a rate it states as 0 is kept as 0, as Portkey wrote it.
    Non-token units (``additional_units``: web search, images, seconds) are not read here.
    """
    config = PortkeyPricingConfig.model_validate(entry.get("pricing_config") or {})
    paygo = config.pay_as_you_go
    if paygo is None:
        return Prices()
    return Prices(
        prompt=_cents(paygo.request_token),
        completion=_cents(paygo.response_token),
        cache_read=_cents(paygo.cache_read_input_token),
        cache_write=_cents(paygo.cache_write_input_token),
    )


PROVIDER = ProviderSpec(
    slug="portkey",
    name="Portkey AI Gateway",
    base_url="https://api.portkey.ai",
    list_path="/v1/models",
    auth=AuthStyle.HEADER,
    auth_header="x-portkey-api-key",
    parser=OpenAICompatibleAPI(FieldMap()),
    price_unit=(
        "none in the model list; Portkey's pricing configs are US cents per token "
        "(configs.portkey.ai/pricing/<provider>.json), not yet readable as a list"
    ),
    price_source="none",
    docs_url="https://portkey.ai/docs/api-reference/inference-api/models/models",
)
