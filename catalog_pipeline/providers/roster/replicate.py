"""Replicate ``GET https://api.replicate.com/v1/models``: public models, cursor pages, no prices.

Docs: https://replicate.com/docs/reference/http#models.list. Every call needs
``Authorization: Bearer $REPLICATE_API_TOKEN``. The body is
``{"next": url|null, "previous": url|null, "results": [model, ...]}``; ``next`` is an
absolute URL on the same host carrying an opaque ``cursor`` query parameter, followed until
it is null.

A model has ``owner`` and ``name`` (its id is ``owner/name``), ``description``,
``visibility``, ``run_count`` and ``latest_version``; there is no type, modality, context
length or price. Replicate bills by output (per image, per second of video) for official
models and by hardware time for the rest, published on each model page and
https://replicate.com/pricing but not in this API, so rows leave here unpriced and the few
published per-image prices are the curated rows below.

Type is inferred from the id (:func:`infer_type_from_id`); an id that names no known
media or LLM family is ``other`` rather than ``chat`` because most of Replicate's catalog is
not text generation.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import infer_type_from_id, modalities_for
from catalog_pipeline.domain.rows import ModelType, Prices, ProviderModel
from catalog_pipeline.domain.units import per_million, usd
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest
from catalog_pipeline.providers.spec import CuratedPrice, ProviderSpec

_LLM_HINTS = re.compile(
    r"llama|mistral|mixtral|gpt|claude|qwen|deepseek|gemma|gemini|granite|phi-\d|falcon|"
    r"vicuna|grok|kimi|glm|command-r|-chat\b|-instruct\b|\bllm\b|o\d-mini|\bo1\b"
)


class ReplicateModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    owner: str = Field(min_length=1, pattern=r"^[^/\s]+$")
    name: str = Field(min_length=1, pattern=r"^[^/\s]+$")
    description: str | None = None
    visibility: str | None = None
    run_count: int | None = None
    latest_version: dict[str, Any] | None = None


def replicate_type(model_id: str) -> ModelType:
    kind = infer_type_from_id(model_id)
    if kind is ModelType.CHAT and not _LLM_HINTS.search(model_id.lower()):
        return ModelType.OTHER
    return kind


class ReplicateAPI(ModelListAPI):
    dialect = "replicate"

    items_key = "results"

    def next_request(
        self, spec: ProviderSpec, envelope: dict[str, Any], current: PageRequest, items_on_page: int
    ) -> PageRequest | None:
        link = envelope.get("next")
        if link in (None, ""):
            return None
        if not isinstance(link, str):
            raise ValueError(f"next is a {type(link).__name__}, not a URL")
        parts = urlsplit(link)
        base = urlsplit(spec.base_url)
        if parts.netloc and parts.netloc != base.netloc:
            raise ValueError(f"next URL points to another host: {parts.netloc}")
        return PageRequest(parts.path or spec.list_path, tuple(parse_qsl(parts.query)))

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = ReplicateModelItem.model_validate(item)
        model_id = f"{wire.owner}/{wire.name}"
        kind = replicate_type(model_id)
        inputs, outputs = modalities_for(kind)
        if kind is ModelType.OTHER:
            inputs, outputs = (), ()
        return ProviderModel(
            provider_model_id=model_id,
            name=wire.name,
            publisher_hint=wire.owner,
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            prices=Prices(),
            price_source="none",
        )


CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="black-forest-labs/flux-pro",
        prices=Prices(per_image=usd("0.055")),
        source_url="https://replicate.com/black-forest-labs/flux-pro",
        checked_on=CHECKED_ON,
        note=(
            "per output image only (unit column unused); Replicate model page says $0.055 per"
            " image; no peer catalog lists Replicate image prices"
        ),
    ),
    CuratedPrice(
        provider_model_id="black-forest-labs/flux-1.1-pro",
        prices=Prices(per_image=usd("0.04")),
        source_url="https://replicate.com/black-forest-labs/flux-1.1-pro",
        checked_on=CHECKED_ON,
        note=(
            "per output image only (unit column unused); official model billed per image "
            "(Replicate changelog 2025-01-29); Lumenfall's provider table also lists "
            "Replicate at $0.04; equals BFL's own price and LiteLLM 1.109.1 "
            "black_forest_labs/flux-pro-1.1 0.04"
        ),
    ),
    CuratedPrice(
        provider_model_id="black-forest-labs/flux-1.1-pro-ultra",
        prices=Prices(per_image=usd("0.06")),
        source_url="https://replicate.com/black-forest-labs/flux-1.1-pro-ultra",
        checked_on=CHECKED_ON,
        note=(
            "per output image only (unit column unused); Lumenfall's provider table also "
            "lists Replicate at $0.06; equals BFL's own price and LiteLLM 1.109.1 "
            "black_forest_labs/flux-pro-1.1-ultra 0.06"
        ),
    ),
    CuratedPrice(
        provider_model_id="meta/meta-llama-3-8b-instruct",
        prices=Prices(prompt=per_million("0.05"), completion=per_million("0.25")),
        source_url="https://replicate.com/meta/meta-llama-3-8b-instruct",
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 replicate/meta/llama-3-8b-instruct",
    ),
)


PROVIDER = ProviderSpec(
    slug="replicate",
    name="Replicate",
    base_url="https://api.replicate.com",
    list_path="/v1/models",
    api_key_env=("REPLICATE_API_TOKEN",),
    parser=ReplicateAPI(),
    price_unit="none in the API; curated USD per output image",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://replicate.com/docs/reference/http#models.list",
)
