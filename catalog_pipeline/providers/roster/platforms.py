"""Platforms and serverless hosts (hubs, edge, decentralised inference)."""

from catalog_pipeline.providers.cloudflare_workers_ai import CLOUDFLARE_WORKERS_AI
from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.huggingface_router import HUGGINGFACE_ROUTER
from catalog_pipeline.providers.openai_compatible import OpenAICompatibleAPI
from catalog_pipeline.providers.platform_lists import MODELZ, MORPHEUS, NEAR
from catalog_pipeline.providers.spec import AuthStyle, ProviderSpec

SPECS: tuple[ProviderSpec, ...] = (
    ProviderSpec(
        slug="huggingface",
        name="Hugging Face Inference Providers",
        family="huggingface-router",
        base_url="https://router.huggingface.co",
        list_path="/v1/models",
        api_key_env=("HF_TOKEN", "HUGGINGFACE_HUB_TOKEN"),
        key_required=False,
        price_unit=(
            "USD per 1M tokens per upstream provider (providers[].pricing.input/output); "
            "one row per model: the shared price, or the cheapest live provider's, labelled"
        ),
        docs_url="https://huggingface.co/docs/inference-providers/index",
    ),
    ProviderSpec(
        slug="cloudflare-workers-ai",
        name="Cloudflare Workers AI",
        family="cloudflare-workers-ai",
        base_url="https://api.cloudflare.com",
        list_path="/client/v4/accounts/{account_id}/ai/models/search",
        api_key_env=("CLOUDFLARE_API_TOKEN",),
        price_unit=(
            "properties[price].value[] with the unit in words: 'per M input/output/cached "
            "input tokens' = USD per 1M tokens; non-token units not stored"
        ),
        docs_url="https://developers.cloudflare.com/api/resources/ai/subresources/models/methods/list/",
    ),
    ProviderSpec(
        slug="near",
        name="NEAR AI Cloud",
        family="near",
        base_url="https://cloud-api.near.ai",
        list_path="/v1/models",
        api_key_env=("NEARAI_API_KEY", "NEAR_AI_API_KEY"),
        key_required=False,
        price_unit=(
            "pricing.input/output: USD per 1M tokens (numbers); "
            "pricing.input_cache_read: USD per token (string)"
        ),
        docs_url="https://docs.near.ai/",
    ),
    ProviderSpec(
        slug="akash",
        name="AkashChat API",
        family="akash",
        base_url="https://chatapi.akash.network",
        list_path="/api/v1/models",
        api_key_env=("AKASHCHAT_API_KEY",),
        price_unit="none in the API",
        price_source="none",
        docs_url="https://chatapi.akash.network/documentation",
    ),
    ProviderSpec(
        slug="morpheus",
        name="Morpheus Inference API",
        family="morpheus",
        base_url="https://api.mor.org",
        list_path="/api/v1/models",
        key_required=False,
        price_unit="none in USD (providers bid on-chain in MOR)",
        price_source="none",
        docs_url="https://apidocs.mor.org",
    ),
    ProviderSpec(
        slug="simplismart",
        name="Simplismart",
        family="simplismart",
        base_url="https://api.simplismart.live",
        list_path="/v1/models",
        price_unit="none in the API (list endpoint itself not documented)",
        price_source="none",
        docs_url="https://docs.simplismart.ai/quickstart/inference",
    ),
    ProviderSpec(
        slug="modelz",
        name="Modelz",
        family="modelz",
        base_url="https://cloud.modelz.ai",
        list_path="/api/v1/users/{login_name}/clusters/modelz/deployments",
        auth=AuthStyle.HEADER,
        auth_header="X-API-Key",
        price_unit="none (deployments billed per GPU time; no model catalogue documented)",
        price_source="none",
        docs_url="https://docs.modelz.ai/",
        enabled=False,
    ),
)

FAMILIES: dict[str, ModelListAPI] = {
    "huggingface-router": HUGGINGFACE_ROUTER,
    "cloudflare-workers-ai": CLOUDFLARE_WORKERS_AI,
    "near": NEAR,
    "akash": OpenAICompatibleAPI(),
    "morpheus": MORPHEUS,
    "simplismart": OpenAICompatibleAPI(),
    "modelz": MODELZ,
}
