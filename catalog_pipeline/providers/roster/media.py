"""Image, video and audio model providers, priced per image, second or request."""

from catalog_pipeline.providers.bfl import BFL
from catalog_pipeline.providers.clarifai import CLARIFAI
from catalog_pipeline.providers.fal import FAL
from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.replicate import REPLICATE
from catalog_pipeline.providers.spec import AuthStyle, ProviderSpec

SPECS: tuple[ProviderSpec, ...] = (
    ProviderSpec(
        slug="fal",
        name="fal.ai",
        family="fal",
        base_url="https://api.fal.ai",
        list_path="/v1/models",
        # The list endpoint is public; a key only raises rate limits.
        auth_scheme="Key",
        api_key_env=("FAL_KEY",),
        key_required=False,
        price_unit=(
            "none in the list; fal's key-only pricing endpoint gives USD per billing unit "
            "(image, second, megapixel, request ...); curated USD per image"
        ),
        price_source="curated",
        docs_url="https://docs.fal.ai/platform-apis/v1/models",
    ),
    ProviderSpec(
        slug="replicate",
        name="Replicate",
        family="replicate",
        base_url="https://api.replicate.com",
        list_path="/v1/models",
        api_key_env=("REPLICATE_API_TOKEN",),
        price_unit="none in the API; curated USD per output image",
        price_source="curated",
        docs_url="https://replicate.com/docs/reference/http#models.list",
    ),
    ProviderSpec(
        slug="bfl",
        name="Black Forest Labs",
        family="bfl",
        base_url="https://api.bfl.ai",
        list_path="/v1",
        auth=AuthStyle.HEADER,
        auth_header="x-key",
        key_required=False,
        price_unit="USD per generated image (1 credit = $0.01), curated in a packaged file",
        price_source="curated",
        docs_url="https://docs.bfl.ai",
    ),
    ProviderSpec(
        slug="clarifai",
        name="Clarifai",
        family="clarifai",
        base_url="https://api.clarifai.com",
        list_path="/v2/models",
        auth_scheme="Key",
        api_key_env=("CLARIFAI_PAT",),
        price_unit="none in the API (Clarifai publishes per-model prices on its website)",
        price_source="none",
        docs_url="https://docs.clarifai.com/api-guide/api-overview",
    ),
)

FAMILIES: dict[str, ModelListAPI] = {
    "fal": FAL,
    "replicate": REPLICATE,
    "bfl": BFL,
    "clarifai": CLARIFAI,
}
