"""Cloudflare Workers AI ``GET /client/v4/accounts/{account_id}/ai/models/search``.

The standard Cloudflare v4 envelope: ``{"success", "errors", "messages", "result": [...],
"result_info": {"page", "per_page", "count", "total_count"}}``, paged with ``page`` /
``per_page``. The account id comes from ``CLOUDFLARE_WORKERS_AI_ACCOUNT_ID`` (or
Cloudflare's own ``CLOUDFLARE_ACCOUNT_ID``).

Each item's ``id`` is an internal UUID; the model id that requests use is ``name``
(``@cf/meta/llama-3.1-8b-instruct``). What the model does is ``task.name`` ("Text
Generation", "Text Embeddings", ...). Facts are a list of ``properties``
(``{"property_id", "value"}``, values often strings): ``context_window``,
``function_calling``, ``reasoning``, ``vision``, and ``price``: a list of
``{"unit", "price", "currency"}`` where the unit is written out in words. Token units
(``per M input tokens``, ``per M output tokens``, ``per M cached input tokens``) are USD per
1M tokens. Other units (``per audio minute``, ``per 512 by 512 tile``, ``per step``, ...)
have no matching field here and are left out (unknown, never 0); a token unit this parser
does not know rejects the item so the change is seen. A model without a ``price``
property is unpriced.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import infer_type_from_id, modalities_for
from catalog_pipeline.domain.rows import ModelType, Prices, ProviderModel
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.account_setting import path_setting
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest
from catalog_pipeline.providers.spec import ProviderSpec

ACCOUNT_ENV = ("CLOUDFLARE_WORKERS_AI_ACCOUNT_ID", "CLOUDFLARE_ACCOUNT_ID")
PER_PAGE = 100

_TOKEN_UNITS = {
    "per m input tokens": "prompt",
    "per m output tokens": "completion",
    "per m cached input tokens": "cache_read",
}

_TASKS = {
    "text generation": ModelType.CHAT,
    "text embeddings": ModelType.EMBEDDING,
    "text-to-image": ModelType.IMAGE,
    "automatic speech recognition": ModelType.TRANSCRIPTION,
    "text-to-speech": ModelType.AUDIO,
    "image-to-text": ModelType.CHAT,
}

_FLAGS = (("function_calling", "tools"), ("reasoning", "reasoning"), ("vision", "vision"))


class CloudflareTask(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str


class CloudflareProperty(BaseModel):
    model_config = ConfigDict(extra="allow")

    property_id: str
    value: Any = None


class CloudflarePrice(BaseModel):
    model_config = ConfigDict(extra="allow")

    unit: str
    price: Decimal | int | str
    currency: str = "USD"


class CloudflareModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str | None = None
    name: str = Field(min_length=1)
    description: str | None = None
    task: CloudflareTask | None = None
    created_at: str | None = None
    properties: list[CloudflareProperty] = Field(default_factory=list)


def _prices(entries: Any) -> Prices:
    if not isinstance(entries, list):
        raise ValueError(f"price property is a {type(entries).__name__}, not a list")
    fields: dict[str, Decimal] = {}
    for raw in entries:
        entry = CloudflarePrice.model_validate(raw)
        unit = " ".join(entry.unit.lower().split())
        if entry.currency.upper() != "USD":
            continue
        target = _TOKEN_UNITS.get(unit)
        if target is None:
            if "token" in unit:
                raise ValueError(f"unknown token price unit {entry.unit!r}")
            continue
        fields[target] = per_million(entry.price)
    return Prices(**fields)


def _flag(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value or None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip()) or None
    return None


def _created(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace(" ", "T"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class CloudflareWorkersAIAPI(ModelListAPI):
    dialect = "cloudflare-workers-ai"

    items_key = "result"

    def first_request(self, spec: ProviderSpec) -> PageRequest:
        account = path_setting(spec, ACCOUNT_ENV, "Cloudflare account id")
        path = spec.list_path.replace("{account_id}", account)
        return PageRequest(path, (("page", "1"), ("per_page", str(PER_PAGE))))

    def next_request(
        self, spec: ProviderSpec, envelope: dict[str, Any], current: PageRequest, items_on_page: int
    ) -> PageRequest | None:
        if items_on_page == 0:
            return None
        asked = dict(current.params)
        page = _int(envelope.get("result_info.page")) or int(asked["page"])
        per_page = _int(envelope.get("result_info.per_page")) or int(asked["per_page"])
        total_pages = _int(envelope.get("result_info.total_pages"))
        total_count = _int(envelope.get("result_info.total_count"))
        if total_pages is not None:
            last = page >= total_pages
        elif total_count is not None:
            last = page * per_page >= total_count
        else:
            last = items_on_page < per_page
        if last:
            return None
        return PageRequest(current.path, (("page", str(page + 1)), ("per_page", asked["per_page"])))

    def error_message(self, envelope: dict[str, Any], items_found: bool) -> str | None:
        if envelope.get("success") is False:
            message = envelope.get("errors.item.message")
            code = envelope.get("errors.item.code")
            text = str(message) if message else "success is false"
            return f"{code}: {text}" if code is not None else text
        return super().error_message(envelope, items_found)

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = CloudflareModelItem.model_validate(item)
        props = {p.property_id: p.value for p in wire.properties}
        prices = _prices(props["price"]) if "price" in props else Prices()
        task = " ".join(wire.task.name.lower().split()) if wire.task else ""
        kind = _TASKS.get(task)
        if kind is None:
            kind = infer_type_from_id(wire.name) if not task else ModelType.OTHER
        inputs, outputs = modalities_for(kind)
        capabilities = tuple(label for key, label in _FLAGS if _flag(props.get(key)))
        if task == "image-to-text" or "vision" in capabilities:
            inputs = ("text", "image")
        publisher = wire.name.split("/")[1] if wire.name.count("/") >= 2 else None
        return ProviderModel(
            provider_model_id=wire.name,
            publisher_hint=publisher,
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=_int(props.get("context_window")),
            prices=prices,
            price_source="none" if prices.is_unpriced() else "provider_api",
            capabilities=capabilities,
            created_at=_created(wire.created_at),
        )


PROVIDER = ProviderSpec(
    slug="cloudflare-workers-ai",
    name="Cloudflare Workers AI",
    base_url="https://api.cloudflare.com",
    list_path="/client/v4/accounts/{account_id}/ai/models/search",
    api_key_env=("CLOUDFLARE_API_TOKEN",),
    parser=CloudflareWorkersAIAPI(),
    price_unit=(
        "properties[price].value[] with the unit in words: 'per M input/output/cached "
        "input tokens' = USD per 1M tokens; non-token units not stored"
    ),
    docs_url="https://developers.cloudflare.com/api/resources/ai/subresources/models/methods/list/",
)
