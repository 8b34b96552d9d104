"""Model publishers' own APIs."""

from catalog_pipeline.providers.anthropic import ANTHROPIC
from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.openai_compatible import OPENAI
from catalog_pipeline.providers.spec import AuthStyle, ProviderSpec

SPECS: tuple[ProviderSpec, ...] = (
    ProviderSpec(
        slug="openai",
        name="OpenAI",
        family="openai",
        base_url="https://api.openai.com",
        list_path="/v1/models",
        price_unit="none in the API; curated USD per 1M tokens",
        price_source="curated",
        docs_url="https://platform.openai.com/docs/api-reference/models/list",
    ),
    ProviderSpec(
        slug="anthropic",
        name="Anthropic",
        family="anthropic",
        base_url="https://api.anthropic.com",
        list_path="/v1/models",
        auth=AuthStyle.HEADER,
        auth_header="x-api-key",
        extra_headers={"anthropic-version": "2023-06-01"},
        price_unit="none in the API; curated USD per 1M tokens",
        price_source="curated",
        docs_url="https://docs.anthropic.com/en/api/models-list",
    ),
)

FAMILIES: dict[str, ModelListAPI] = {
    "openai": OPENAI,
    "anthropic": ANTHROPIC,
}
