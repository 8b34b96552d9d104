"""Platforms and serverless hosts (hubs, edge, decentralised inference)."""

from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec

SPECS: tuple[ProviderSpec, ...] = ()

FAMILIES: dict[str, ModelListAPI] = {}
