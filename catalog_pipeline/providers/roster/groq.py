"""Groq ``GET /openai/v1/models``: the OpenAI list plus Groq's own limits, without prices.

``context_window`` is the context length and ``max_completion_tokens`` the output limit.
No curated rows yet: Groq's rows stay unpriced until a published price is added here.
"""

from __future__ import annotations

from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI
from catalog_pipeline.providers.spec import ProviderSpec

PROVIDER = ProviderSpec(
    slug="groq",
    name="Groq",
    base_url="https://api.groq.com",
    list_path="/openai/v1/models",
    parser=OpenAICompatibleAPI(
        FieldMap(context_length=("context_window",), max_output_tokens=("max_completion_tokens",))
    ),
    price_unit="none in the API; curated USD per 1M tokens",
    price_source="curated",
    docs_url="https://console.groq.com/docs/api-reference#models-list",
)
