"""API family name (``ProviderSpec.family``) to its parser."""

from __future__ import annotations

from catalog_pipeline.providers.anthropic import ANTHROPIC
from catalog_pipeline.providers.family import ModelListAPI
from catalog_pipeline.providers.openai_compatible import GROQ, OPENAI
from catalog_pipeline.providers.openrouter import OPENROUTER
from catalog_pipeline.providers.spec import ProviderSpec
from catalog_pipeline.providers.together import TOGETHER

FAMILIES: dict[str, ModelListAPI] = {
    "openrouter": OPENROUTER,
    "openai": OPENAI,
    "anthropic": ANTHROPIC,
    "together": TOGETHER,
    "groq": GROQ,
}


def api_for(spec: ProviderSpec) -> ModelListAPI:
    return FAMILIES[spec.family]
