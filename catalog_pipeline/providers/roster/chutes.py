"""Chutes ``GET https://llm.chutes.ai/v1/models``: ``pricing.*`` in USD per 1M tokens.

This is the LLM list, not the ``api.chutes.ai/chutes/`` platform listing (a different
shape, rejected as a payload error). ``price.{input,output}.tao`` is not read.
"""

from __future__ import annotations

from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.openai_compatible import HostFieldMap, OpenHostAPI, PriceField
from catalog_pipeline.providers.spec import ProviderSpec

FIELDS = HostFieldMap(
    prices=(
        PriceField("prompt", ("pricing", "prompt"), per_million),
        PriceField("completion", ("pricing", "completion"), per_million),
        PriceField("cache_read", ("pricing", "input_cache_read"), per_million),
    ),
    context_length=(("context_length",), ("max_model_len",)),
    max_output_tokens=(("max_output_length",),),
    input_modalities=("input_modalities",),
    output_modalities=("output_modalities",),
    features=(("supported_features",),),
)


PROVIDER = ProviderSpec(
    slug="chutes",
    name="Chutes",
    base_url="https://llm.chutes.ai",
    list_path="/v1/models",
    key_required=False,
    parser=OpenHostAPI(FIELDS),
    price_unit="USD per 1M tokens (pricing.prompt / completion / input_cache_read, JSON numbers)",
    docs_url="https://llm.chutes.ai/v1/models",
)
