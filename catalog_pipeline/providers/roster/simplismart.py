"""Simplismart ``GET /v1/models``: the plain OpenAI list, without prices.

The list endpoint itself is not in Simplismart's documentation.
"""

from __future__ import annotations

from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI
from catalog_pipeline.providers.spec import ProviderSpec

PROVIDER = ProviderSpec(
    slug="simplismart",
    name="Simplismart",
    base_url="https://api.simplismart.live",
    list_path="/v1/models",
    parser=OpenAICompatibleAPI(FieldMap()),
    price_unit="none in the API (list endpoint itself not documented)",
    price_source="none",
    docs_url="https://docs.simplismart.ai/quickstart/inference",
)
