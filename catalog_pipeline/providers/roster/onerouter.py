"""OneRouter (Infron AI) ``GET /v1/models``: only the OpenAI fields and its integer limits.

The list's schema and price unit are not documented, so ``min_prompt_price`` and the like
are not read: only ``context_length`` and ``max_output_tokens``.
"""

from __future__ import annotations

from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI
from catalog_pipeline.providers.spec import ProviderSpec

PROVIDER = ProviderSpec(
    slug="onerouter",
    name="OneRouter (Infron AI)",
    base_url="https://llm.onerouter.pro",
    list_path="/v1/models",
    api_key_env=("INFRON_API_KEY",),
    key_required=False,
    parser=OpenAICompatibleAPI(
        FieldMap(context_length=("context_length",), max_output_tokens=("max_output_tokens",))
    ),
    price_unit="none read: the list's schema and price unit are not documented",
    price_source="none",
    docs_url="https://docs.onerouter.pro/api-reference/llm-model-api/overview",
)
