"""Routers and gateways that resell many publishers' models."""

from catalog_pipeline.providers.aihubmix import AIHUBMIX
from catalog_pipeline.providers.aimo import AIMO
from catalog_pipeline.providers.anannas import ANANNAS
from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.helicone import HELICONE
from catalog_pipeline.providers.openai_compatible import FieldMap, OpenAICompatibleAPI
from catalog_pipeline.providers.openrouter import OPENROUTER
from catalog_pipeline.providers.portkey import PORTKEY
from catalog_pipeline.providers.spec import AuthStyle, ProviderSpec
from catalog_pipeline.providers.vercel_ai_gateway import VERCEL_AI_GATEWAY

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
    ProviderSpec(
        slug="vercel-ai-gateway",
        name="Vercel AI Gateway",
        family="vercel-ai-gateway",
        base_url="https://ai-gateway.vercel.sh",
        list_path="/v1/models",
        api_key_env=("AI_GATEWAY_API_KEY",),
        key_required=False,
        price_unit=(
            "USD per token, decimal strings (pricing.input/output/input_cache_read/"
            "input_cache_write); long-context input_tiers not modelled"
        ),
        docs_url="https://vercel.com/docs/ai-gateway/sdks-and-apis/rest-api",
    ),
    ProviderSpec(
        slug="helicone",
        name="Helicone AI Gateway",
        family="helicone",
        base_url="https://api.helicone.ai",
        list_path="/v1/public/model-registry/models",
        key_required=False,
        price_unit=(
            "USD per 1M tokens, numbers "
            "(endpoints[].pricing.prompt/completion/cacheRead/cacheWrite)"
        ),
        docs_url="https://helicone.mintlify.app/rest/models/get-v1public-model-registry-models",
    ),
    ProviderSpec(
        slug="aihubmix",
        name="AIHubMix",
        family="aihubmix",
        base_url="https://aihubmix.com",
        list_path="/api/v1/models",
        key_required=False,
        price_unit=(
            "USD per 1M tokens, numbers (pricing.input/output/cache_read/cache_write); "
            "the docs say per 1K, the served values are per 1M"
        ),
        docs_url="https://docs.aihubmix.com/en/api/Models-API",
    ),
    ProviderSpec(
        slug="portkey",
        name="Portkey AI Gateway",
        family="portkey",
        base_url="https://api.portkey.ai",
        list_path="/v1/models",
        auth=AuthStyle.HEADER,
        auth_header="x-portkey-api-key",
        price_unit=(
            "none in the model list; Portkey's pricing configs are US cents per token "
            "(configs.portkey.ai/pricing/<provider>.json), not yet readable as a list"
        ),
        price_source="none",
        docs_url="https://portkey.ai/docs/api-reference/inference-api/models/models",
    ),
    ProviderSpec(
        slug="anannas",
        name="Anannas AI",
        family="anannas",
        base_url="https://api.anannas.ai",
        list_path="/v1/models",
        price_unit="USD per token, decimal strings (pricing.prompt/completion); request in USD",
        docs_url="https://docs.anannas.ai/models",
    ),
    ProviderSpec(
        slug="onerouter",
        name="OneRouter (Infron AI)",
        family="onerouter",
        base_url="https://llm.onerouter.pro",
        list_path="/v1/models",
        api_key_env=("INFRON_API_KEY",),
        key_required=False,
        price_unit="none read: the list's schema and price unit are not documented",
        price_source="none",
        docs_url="https://docs.onerouter.pro/api-reference/llm-model-api/overview",
    ),
    ProviderSpec(
        slug="aimo",
        name="AiMo Network",
        family="aimo",
        base_url="https://devnet.aimo.network",
        list_path="/api/v1/models",
        price_unit="none read: the item schema and price unit are not documented",
        price_source="none",
        docs_url="https://docs.aimo.network/user-guide/api-usage",
    ),
)

ONEROUTER = OpenAICompatibleAPI(
    FieldMap(context_length=("context_length",), max_output_tokens=("max_output_tokens",))
)
"""OneRouter's list: only the OpenAI fields and its plain integer limits are read."""

FAMILIES: dict[str, ModelListAPI] = {
    "openrouter": OPENROUTER,
    "vercel-ai-gateway": VERCEL_AI_GATEWAY,
    "helicone": HELICONE,
    "aihubmix": AIHUBMIX,
    "portkey": PORTKEY,
    "anannas": ANANNAS,
    "onerouter": ONEROUTER,
    "aimo": AIMO,
}
