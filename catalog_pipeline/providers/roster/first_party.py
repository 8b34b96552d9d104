"""Model publishers' own APIs."""

from catalog_pipeline.providers.anthropic import ANTHROPIC
from catalog_pipeline.providers.cohere import COHERE
from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.first_party_openai import (
    ALIBABA,
    DEEPSEEK,
    MINIMAX,
    MOONSHOT,
    ZAI,
)
from catalog_pipeline.providers.gemini import GEMINI
from catalog_pipeline.providers.mistral import MISTRAL
from catalog_pipeline.providers.openai_compatible import OPENAI
from catalog_pipeline.providers.spec import AuthStyle, ProviderSpec
from catalog_pipeline.providers.vertex import VERTEX
from catalog_pipeline.providers.xai import XAI

_CURATED = "none in the API; curated USD per 1M tokens"

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
    ProviderSpec(
        slug="google",
        name="Google Gemini API",
        family="gemini",
        base_url="https://generativelanguage.googleapis.com",
        list_path="/v1beta/models",
        auth=AuthStyle.HEADER,
        auth_header="x-goog-api-key",
        api_key_env=("GEMINI_API_KEY",),
        price_unit=_CURATED,
        price_source="curated",
        docs_url="https://ai.google.dev/api/models#method:-models.list",
    ),
    ProviderSpec(
        slug="google-vertex",
        name="Google Vertex AI",
        family="vertex",
        base_url="https://aiplatform.googleapis.com",
        list_path="/v1beta1/publishers/google/models",
        api_key_env=("GOOGLE_VERTEX_ACCESS_TOKEN",),
        price_unit=_CURATED,
        price_source="curated",
        docs_url="https://cloud.google.com/vertex-ai/docs/reference/rest/v1beta1/publishers.models/list",
    ),
    ProviderSpec(
        slug="mistral",
        name="Mistral AI",
        family="mistral",
        base_url="https://api.mistral.ai",
        list_path="/v1/models",
        price_unit=_CURATED,
        price_source="curated",
        docs_url="https://docs.mistral.ai/api/endpoint/models",
    ),
    ProviderSpec(
        slug="cohere",
        name="Cohere",
        family="cohere",
        base_url="https://api.cohere.com",
        list_path="/v1/models",
        api_key_env=("CO_API_KEY",),
        price_unit=_CURATED,
        price_source="curated",
        docs_url="https://docs.cohere.com/reference/list-models",
    ),
    ProviderSpec(
        slug="xai",
        name="xAI",
        family="xai",
        base_url="https://api.x.ai",
        list_path="/v1/language-models",
        price_unit="integer 1/10,000 USD per 1M tokens (prompt/cached/completion_text_token_price)",
        docs_url="https://docs.x.ai/docs/api-reference#list-language-models",
    ),
    ProviderSpec(
        slug="deepseek",
        name="DeepSeek",
        family="deepseek",
        base_url="https://api.deepseek.com",
        list_path="/models",
        price_unit=_CURATED,
        price_source="curated",
        docs_url="https://api-docs.deepseek.com/api/list-models",
    ),
    ProviderSpec(
        slug="moonshot",
        name="Moonshot AI",
        family="moonshot",
        base_url="https://api.moonshot.ai",
        list_path="/v1/models",
        price_unit=_CURATED,
        price_source="curated",
        docs_url="https://platform.moonshot.ai/docs/api/chat#list-models",
    ),
    ProviderSpec(
        slug="minimax",
        name="MiniMax",
        family="minimax",
        base_url="https://api.minimax.io",
        list_path="/v1/models",
        price_unit=_CURATED,
        price_source="curated",
        docs_url="https://platform.minimax.io/docs/api-reference/api-overview",
    ),
    ProviderSpec(
        slug="zai",
        name="Z.ai",
        family="zai",
        base_url="https://api.z.ai",
        list_path="/api/paas/v4/models",
        api_key_env=("Z_AI_API_KEY", "ZHIPUAI_API_KEY"),
        price_unit=_CURATED,
        price_source="curated",
        docs_url="https://docs.z.ai/api-reference/introduction",
    ),
    ProviderSpec(
        slug="alibaba",
        name="Alibaba Cloud Model Studio",
        family="alibaba",
        base_url="https://dashscope-intl.aliyuncs.com",
        list_path="/compatible-mode/v1/models",
        api_key_env=("DASHSCOPE_API_KEY",),
        price_unit=_CURATED,
        price_source="curated",
        docs_url="https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope",
    ),
)

FAMILIES: dict[str, ModelListAPI] = {
    "openai": OPENAI,
    "anthropic": ANTHROPIC,
    "gemini": GEMINI,
    "vertex": VERTEX,
    "mistral": MISTRAL,
    "cohere": COHERE,
    "xai": XAI,
    "deepseek": DEEPSEEK,
    "moonshot": MOONSHOT,
    "minimax": MINIMAX,
    "zai": ZAI,
    "alibaba": ALIBABA,
}
