"""DeepInfra ``GET /v1/openai/models``: ``metadata.pricing`` in USD per 1M tokens.

Prices, limits and tags sit in ``metadata``, which is ``null`` for models DeepInfra does
not bill per token (embeddings, image models): those rows are unpriced and not chat.
"""

from __future__ import annotations

from typing import Any

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.openai_compatible import HostFieldMap, OpenHostAPI, PriceField
from catalog_pipeline.providers.spec import ProviderSpec


def _classify(item: dict[str, Any], kind: ModelType) -> ModelType:
    """DeepInfra's OpenAI list carries ``metadata`` only for its token-billed LLMs.

    Embedding, image and other models come with ``metadata: null`` and no price: they
    are not chat models even when the id gives no hint, so an unrecognised one is OTHER.
    """
    if item.get("metadata") is None and kind is ModelType.CHAT:
        return ModelType.OTHER
    return kind


FIELDS = HostFieldMap(
    prices=(
        PriceField("prompt", ("metadata", "pricing", "input_tokens"), per_million),
        PriceField("completion", ("metadata", "pricing", "output_tokens"), per_million),
        PriceField("cache_read", ("metadata", "pricing", "cache_read_tokens"), per_million),
    ),
    context_length=(("metadata", "context_length"),),
    max_output_tokens=(("metadata", "max_tokens"),),
    features=(("metadata", "tags"),),
    deprecation_date=(("deprecated",), ("metadata", "deprecated")),
    classify=_classify,
)


PROVIDER = ProviderSpec(
    slug="deepinfra",
    name="DeepInfra",
    base_url="https://api.deepinfra.com",
    list_path="/v1/openai/models",
    key_required=False,
    parser=OpenHostAPI(FIELDS),
    price_unit="USD per 1M tokens (metadata.pricing.input_tokens / output_tokens / "
    "cache_read_tokens, JSON numbers); metadata is null for non-LLM models",
    docs_url="https://deepinfra.com/docs/advanced/openai_api",
)
