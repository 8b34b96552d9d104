"""Inference hosts that serve open-weight models through their own APIs."""

from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.openai_compatible import GROQ
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.together import TOGETHER

SPECS: tuple[ProviderSpec, ...] = (
    ProviderSpec(
        slug="together",
        name="Together AI",
        family="together",
        base_url="https://api.together.xyz",
        list_path="/v1/models",
        api_key_env=("TOGETHER_AI_API_KEY",),
        price_unit="USD per 1M tokens (pricing.input / pricing.output)",
        docs_url="https://docs.together.ai/reference/models-1",
    ),
    ProviderSpec(
        slug="groq",
        name="Groq",
        family="groq",
        base_url="https://api.groq.com",
        list_path="/openai/v1/models",
        price_unit="none in the API; curated USD per 1M tokens",
        price_source="curated",
        docs_url="https://console.groq.com/docs/api-reference#models-list",
    ),
)

FAMILIES: dict[str, ModelListAPI] = {
    "together": TOGETHER,
    "groq": GROQ,
}
