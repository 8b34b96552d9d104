"""The provider roster. Partition keys, env var names and endpoints all derive from here."""

from __future__ import annotations

from catalog_pipeline.providers.spec import AuthStyle, ProviderSpec

PROVIDERS: tuple[ProviderSpec, ...] = (
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

_BY_SLUG = {spec.slug: spec for spec in PROVIDERS}


def provider_slugs() -> list[str]:
    return [spec.slug for spec in PROVIDERS if spec.enabled]


def get_provider(slug: str) -> ProviderSpec:
    try:
        return _BY_SLUG[slug]
    except KeyError:
        known = ", ".join(sorted(_BY_SLUG))
        raise KeyError(f"unknown provider {slug!r}; known providers: {known}") from None
