"""Inference hosts that serve open-weight models through their own APIs."""

from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.open_hosts import (
    CEREBRAS,
    CHUTES,
    DEEPINFRA,
    FEATHERLESS,
    FIREWORKS,
    NEBIUS,
    NOVITA,
)
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
    ProviderSpec(
        slug="deepinfra",
        name="DeepInfra",
        family="deepinfra",
        base_url="https://api.deepinfra.com",
        list_path="/v1/openai/models",
        key_required=False,
        price_unit="USD per 1M tokens (metadata.pricing.input_tokens / output_tokens / "
        "cache_read_tokens, JSON numbers); metadata is null for non-LLM models",
        docs_url="https://deepinfra.com/docs/advanced/openai_api",
    ),
    ProviderSpec(
        slug="novita",
        name="Novita AI",
        family="novita",
        base_url="https://api.novita.ai",
        list_path="/openai/v1/models",
        price_unit="integers in units of 1/10,000 USD per 1M tokens "
        "(input_token_price_per_m / output_token_price_per_m; 3900 = $0.39/M)",
        docs_url="https://novita.ai/docs/api-reference/model-apis-llm-list-models",
    ),
    ProviderSpec(
        slug="chutes",
        name="Chutes",
        family="chutes",
        base_url="https://llm.chutes.ai",
        list_path="/v1/models",
        key_required=False,
        price_unit="USD per 1M tokens (pricing.prompt / completion / input_cache_read, "
        "JSON numbers)",
        docs_url="https://llm.chutes.ai/v1/models",
    ),
    ProviderSpec(
        slug="featherless",
        name="Featherless AI",
        family="featherless",
        base_url="https://api.featherless.ai",
        list_path="/v1/models",
        key_required=False,
        price_unit="none: flat monthly subscription plans, no per-token price exists",
        price_source="none",
        docs_url="https://featherless.ai/docs/api-reference-models",
    ),
    ProviderSpec(
        slug="fireworks",
        name="Fireworks AI",
        family="fireworks",
        base_url="https://api.fireworks.ai",
        list_path="/inference/v1/models",
        price_unit="none in the API; curated USD per 1M tokens",
        price_source="curated",
        docs_url="https://docs.fireworks.ai",
    ),
    ProviderSpec(
        slug="cerebras",
        name="Cerebras",
        family="cerebras",
        base_url="https://api.cerebras.ai",
        list_path="/public/v1/models",
        key_required=False,
        price_unit="USD per token (pricing.prompt / pricing.completion, decimal strings)",
        docs_url="https://inference-docs.cerebras.ai",
    ),
    ProviderSpec(
        slug="nebius",
        name="Nebius Token Factory",
        family="nebius",
        base_url="https://api.tokenfactory.nebius.com",
        list_path="/v1/models",
        price_unit="USD per token (pricing.prompt / pricing.completion, decimal strings; "
        "only with ?verbose=true)",
        docs_url="https://docs.tokenfactory.nebius.com/api-reference/examples/list-of-models",
    ),
)

FAMILIES: dict[str, ModelListAPI] = {
    "together": TOGETHER,
    "groq": GROQ,
    "deepinfra": DEEPINFRA,
    "novita": NOVITA,
    "chutes": CHUTES,
    "featherless": FEATHERLESS,
    "fireworks": FIREWORKS,
    "cerebras": CEREBRAS,
    "nebius": NEBIUS,
}
