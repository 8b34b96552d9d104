"""Novita AI ``GET /openai/v1/models``: integer prices in 1/10,000 USD per 1M tokens.

``input_token_price_per_m: 3900`` is $0.39 per 1M tokens. Novita declares ``model_type``,
which wins over the id. ``status`` is not read: every listed model is kept, since a
non-1 status is not documented.
"""

from __future__ import annotations

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.domain.units import ten_thousandths_per_million
from catalog_pipeline.providers.openai_compatible import HostFieldMap, OpenHostAPI, PriceField
from catalog_pipeline.providers.spec import ProviderSpec

FIELDS = HostFieldMap(
    prices=(
        PriceField("prompt", ("input_token_price_per_m",), ten_thousandths_per_million),
        PriceField("completion", ("output_token_price_per_m",), ten_thousandths_per_million),
    ),
    name=(("display_name",), ("title",)),
    context_length=(("context_size",),),
    max_output_tokens=(("max_output_tokens",),),
    input_modalities=("input_modalities",),
    output_modalities=("output_modalities",),
    features=(("features",),),
    model_type=("model_type",),
    type_names={
        "chat": ModelType.CHAT,
        "llm": ModelType.CHAT,
        "completion": ModelType.COMPLETION,
        "embedding": ModelType.EMBEDDING,
        "embeddings": ModelType.EMBEDDING,
        "rerank": ModelType.RERANK,
        "reranker": ModelType.RERANK,
    },
)


PROVIDER = ProviderSpec(
    slug="novita",
    name="Novita AI",
    base_url="https://api.novita.ai",
    list_path="/openai/v1/models",
    parser=OpenHostAPI(FIELDS),
    price_unit="integers in units of 1/10,000 USD per 1M tokens "
    "(input_token_price_per_m / output_token_price_per_m; 3900 = $0.39/M)",
    docs_url="https://novita.ai/docs/api-reference/model-apis-llm-list-models",
)
