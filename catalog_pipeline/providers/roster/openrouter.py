"""OpenRouter ``GET /api/v1/models``: the OpenRouter dialect itself, USD per token strings.

Public: a key is not needed. See :mod:`catalog_pipeline.providers.openrouter_compatible`
for the price rules (``"-1"`` is unknown, ``"0"`` is free).
"""

from __future__ import annotations

from catalog_pipeline.providers.openrouter_compatible import OpenRouterAPI
from catalog_pipeline.providers.spec import ProviderSpec

PROVIDER = ProviderSpec(
    slug="openrouter",
    name="OpenRouter",
    base_url="https://openrouter.ai",
    list_path="/api/v1/models",
    key_required=False,
    parser=OpenRouterAPI(),
    price_unit="USD per token, decimal strings; -1 means unknown (router models)",
    docs_url="https://openrouter.ai/docs/api-reference/models/get-models",
)
