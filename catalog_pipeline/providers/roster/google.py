"""Gemini API ``GET /v1beta/models``: ``models[]`` with ``nextPageToken`` pagination, no prices.

The key goes in the ``x-goog-api-key`` header (from the registry), never in the query
string, where it would end up in logged URLs. A page holds at most ``pageSize`` models
(default 50, maximum 1000); ``nextPageToken`` is sent back as ``pageToken`` until it is
absent. Items carry ``name`` (``models/gemini-2.5-flash``, kept exactly as the
provider's resource name; :mod:`catalog_pipeline.domain.ids` strips the ``models/``
wrapper for the canonical id), ``displayName``, ``inputTokenLimit``,
``outputTokenLimit``, ``supportedGenerationMethods`` and, on newer models, ``thinking``.
There is no type or modality field: the type comes from the generation methods
(``embedContent`` -> embedding, ``predict`` -> Imagen, ``predictLongRunning`` -> Veo),
then from the id. Prices are not in the API; they are the curated rows below.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.model_types import infer_type_from_id, modalities_for
from catalog_pipeline.domain.rows import ModelType, Prices, PriceTier, ProviderModel
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest, cursor_token
from catalog_pipeline.providers.spec import AuthStyle, CuratedPrice, ProviderSpec

PAGE_SIZE = "1000"
"""The documented maximum; fewer requests for the ~50-100 models Google lists."""

_EMBED_METHODS = {"embedContent", "embedText", "batchEmbedContents", "asyncBatchEmbedContent"}
_CHAT_METHODS = {"generateContent", "bidiGenerateContent", "generateMessage"}
_CAPABILITY_METHODS = (
    ("createCachedContent", "caching"),
    ("batchGenerateContent", "batch"),
    ("createTunedModel", "fine_tuning"),
    ("createTunedTextModel", "fine_tuning"),
)


class GeminiModelItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1)
    displayName: str | None = None
    description: str | None = None
    version: str | None = None
    inputTokenLimit: int | None = Field(default=None, ge=0)
    outputTokenLimit: int | None = Field(default=None, ge=0)
    supportedGenerationMethods: list[str] = Field(default_factory=list)
    thinking: bool | None = None


def _model_type(model_id: str, methods: set[str]) -> ModelType:
    if methods & _EMBED_METHODS:
        return ModelType.EMBEDDING
    by_id = infer_type_from_id(model_id)
    if "predict" in methods or "predictLongRunning" in methods:
        return by_id if by_id is not ModelType.CHAT else ModelType.OTHER
    lowered = model_id.lower()
    if methods & _CHAT_METHODS:
        if by_id is not ModelType.CHAT:
            return by_id
        if "-image" in lowered or lowered.startswith("models/nano-banana"):
            return ModelType.IMAGE
        if lowered.startswith("models/lyria"):
            return ModelType.AUDIO
        return ModelType.CHAT
    if "generateText" in methods:
        return ModelType.COMPLETION
    return ModelType.OTHER


def _modalities(kind: ModelType, methods: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Gemini image models (``generateContent``) take and return text and images; Imagen
    (``predict``) turns text into images."""
    if kind is ModelType.IMAGE and methods & _CHAT_METHODS:
        return ("text", "image"), ("image", "text")
    return modalities_for(kind)


class GeminiAPI(ModelListAPI):
    dialect = "gemini"

    items_key = "models"

    def first_request(self, spec: ProviderSpec) -> PageRequest:
        return PageRequest(spec.list_path, (("pageSize", PAGE_SIZE),))

    def next_request(
        self, spec: ProviderSpec, envelope: dict[str, Any], current: PageRequest, items_on_page: int
    ) -> PageRequest | None:
        token = cursor_token(envelope, "nextPageToken")
        if token is None:
            return None
        return PageRequest(spec.list_path, (("pageSize", PAGE_SIZE), ("pageToken", token)))

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        wire = GeminiModelItem.model_validate(item)
        methods = set(wire.supportedGenerationMethods)
        kind = _model_type(wire.name, methods)
        inputs, outputs = _modalities(kind, methods)
        capabilities = tuple(
            dict.fromkeys(label for method, label in _CAPABILITY_METHODS if method in methods)
        )
        if wire.thinking:
            capabilities = ("reasoning", *capabilities)
        return ProviderModel(
            provider_model_id=wire.name,
            name=wire.displayName,
            publisher_hint="google",
            model_type=kind,
            input_modalities=inputs,
            output_modalities=outputs,
            context_length=wire.inputTokenLimit or None,
            max_output_tokens=(
                wire.outputTokenLimit or None if kind is not ModelType.EMBEDDING else None
            ),
            capabilities=capabilities,
            price_source="none",
        )


PRICING_PAGE = "https://ai.google.dev/gemini-api/docs/pricing"
CHECKED_ON = dt.date(2026, 11, 23)

CURATED_PRICES = (
    CuratedPrice(
        provider_model_id="models/gemini-2.5-pro",
        prices=Prices(
            prompt=per_million("1.25"),
            completion=per_million("10"),
            cache_read=per_million("0.125"),
            tiers=(
                PriceTier(
                    above_prompt_tokens=200_000,
                    prompt=per_million("2.50"),
                    completion=per_million("15"),
                    cache_read=per_million("0.25"),
                ),
            ),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "prompts over 200k tokens: 2.50/15/0.25 for the whole request; agrees with "
            "LiteLLM 1.109.1 (*_above_200k_tokens) + genai-prices + models.dev (tiers)"
        ),
    ),
    CuratedPrice(
        provider_model_id="models/gemini-2.5-flash",
        prices=Prices(
            prompt=per_million("0.30"),
            completion=per_million("2.50"),
            cache_read=per_million("0.03"),
            audio_input=per_million("1.00"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note=(
            "text/image/video input 0.30, audio input 1.00; agrees with LiteLLM 1.109.1 "
            "(input_cost_per_audio_token) + genai-prices + models.dev (input_audio)"
        ),
    ),
    CuratedPrice(
        provider_model_id="models/gemini-2.5-flash-lite",
        prices=Prices(
            prompt=per_million("0.10"),
            completion=per_million("0.40"),
            cache_read=per_million("0.01"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with LiteLLM 1.109.1 + genai-prices + models.dev + Portkey",
    ),
    CuratedPrice(
        provider_model_id="models/gemini-2.0-flash",
        prices=Prices(
            prompt=per_million("0.10"),
            completion=per_million("0.40"),
            cache_read=per_million("0.025"),
        ),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with genai-prices + models.dev",
    ),
    CuratedPrice(
        provider_model_id="models/gemini-2.0-flash-lite",
        prices=Prices(prompt=per_million("0.075"), completion=per_million("0.30")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="agrees with genai-prices + models.dev + Portkey",
    ),
    CuratedPrice(
        provider_model_id="models/gemini-embedding-001",
        prices=Prices(prompt=per_million("0.15")),
        source_url=PRICING_PAGE,
        checked_on=CHECKED_ON,
        note="input only; agrees with LiteLLM 1.109.1 + genai-prices + models.dev + Portkey",
    ),
)


PROVIDER = ProviderSpec(
    slug="google",
    name="Google Gemini API",
    base_url="https://generativelanguage.googleapis.com",
    list_path="/v1beta/models",
    auth=AuthStyle.HEADER,
    auth_header="x-goog-api-key",
    api_key_env=("GEMINI_API_KEY",),
    parser=GeminiAPI(),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    curated_prices=CURATED_PRICES,
    docs_url="https://ai.google.dev/api/models#method:-models.list",
)
