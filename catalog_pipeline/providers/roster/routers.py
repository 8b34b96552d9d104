"""Routers and gateways that resell many publishers' models."""

from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.openrouter import OPENROUTER
from catalog_pipeline.providers.spec import ProviderSpec

SPECS: tuple[ProviderSpec, ...] = (
    ProviderSpec(
        slug="openrouter",
        name="OpenRouter",
        family="openrouter",
        base_url="https://openrouter.ai",
        list_path="/api/v1/models",
        key_required=False,
        price_unit="USD per token, decimal strings; -1 means unknown (router models)",
        docs_url="https://openrouter.ai/docs/api-reference/models/get-models",
    ),
)

FAMILIES: dict[str, ModelListAPI] = {
    "openrouter": OPENROUTER,
}
