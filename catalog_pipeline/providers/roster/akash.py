"""AkashChat API ``GET /api/v1/models``: the plain OpenAI list, without prices."""

from __future__ import annotations

from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI
from catalog_pipeline.providers.spec import ProviderSpec

PROVIDER = ProviderSpec(
    slug="akash",
    name="AkashChat API",
    base_url="https://chatapi.akash.network",
    list_path="/api/v1/models",
    api_key_env=("AKASHCHAT_API_KEY",),
    parser=OpenAICompatibleAPI(FieldMap()),
    price_unit="none in the API",
    price_source="none",
    docs_url="https://chatapi.akash.network/documentation",
)
