"""Image, video and audio model providers, priced per image, second or request."""

from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec

SPECS: tuple[ProviderSpec, ...] = ()

FAMILIES: dict[str, ModelListAPI] = {}
