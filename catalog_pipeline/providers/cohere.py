"""Cohere ``GET /v1/models``: ``models[]`` paged by ``page_token`` / ``next_page_token``, no prices.

Items are ``{name, endpoints[], finetuned, context_length, tokenizer_url,
default_endpoints[], features[], is_deprecated}``; ``name`` is the id used in requests.
The type comes from ``endpoints`` (``chat``/``generate``/``summarize`` -> chat, ``embed``
-> embedding, ``rerank`` -> rerank, ``classify`` alone -> other); ``context_length`` is
documented as a number and may arrive as ``128000.0``. Pages hold ``page_size`` models
(default 20, maximum 1000) and continue while ``next_page_token`` is non-empty.
Prices are not in the API; they come from the curated file.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import modalities_for
from catalog_pipeline.domain.rows import ModelType, ProviderModel
from catalog_pipeline.providers.family import ModelListAPI, PageRequest, cursor_token
from catalog_pipeline.providers.spec import ProviderSpec

PAGE_SIZE = "1000"

_ENDPOINT_TYPES = (
    ("chat", ModelType.CHAT),
    ("generate", ModelType.CHAT),
    ("summarize", ModelType.CHAT),
    ("embed", ModelType.EMBEDDING),
    ("rerank", ModelType.RERANK),
)
_FEATURE_LABELS = (
    ("tools", "tools"),
    ("json_schema", "structured_outputs"),
    ("vision", "vision"),
    ("reasoning", "reasoning"),
)


class CohereModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1)
    endpoints: list[str] = Field(default_factory=list)
    finetuned: bool | None = None
    context_length: Decimal | None = Field(default=None, ge=0)
    features: list[str] | None = None
    is_deprecated: bool | None = None


class CohereAPI(ModelListAPI):
    items_key = "models"

    def first_request(self, spec: ProviderSpec) -> PageRequest:
        return PageRequest(spec.list_path, (("page_size", PAGE_SIZE),))

    def next_request(
        self, spec: ProviderSpec, envelope: dict[str, Any], current: PageRequest, items_on_page: int
    ) -> PageRequest | None:
        token = cursor_token(envelope, "next_page_token")
        if token is None:
            return None
        return PageRequest(spec.list_path, (("page_size", PAGE_SIZE), ("page_token", token)))

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = CohereModelItem.model_validate(item)
        endpoints = set(wire.endpoints)
        kind = next((k for name, k in _ENDPOINT_TYPES if name in endpoints), ModelType.OTHER)
        features = set(wire.features or ())
        inputs, outputs = modalities_for(kind)
        if kind is ModelType.CHAT and "vision" in features:
            inputs = ("text", "image")
        context = wire.context_length
        if context is not None and context != context.to_integral_value():
            raise ValueError(f"context_length {context} is not a whole number of tokens")
        return ProviderModel(
            provider_model_id=wire.name,
            publisher_hint="cohere",
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=int(context) if context else None,
            capabilities=tuple(label for name, label in _FEATURE_LABELS if name in features),
            price_source="none",
        )


COHERE = CohereAPI()
