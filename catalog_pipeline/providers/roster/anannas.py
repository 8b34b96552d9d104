"""Anannas ``GET https://api.anannas.ai/v1/models``: OpenRouter's dialect, USD per token strings.

Anannas documents ``{"data": [{"id", "name", "provider", "description", "context_length",
"pricing": {"prompt", "completion", "request"}, "capabilities": [...]}]}`` with prices as
decimal strings in USD per token (``request`` in USD per request), so OpenRouter's parser
reads it unchanged. What Anannas adds is a flat ``capabilities`` list instead of
OpenRouter's ``architecture`` and ``supported_parameters``; it is mapped here.
"""

from __future__ import annotations

from typing import Any

from catalog_pipeline.domain.rows import ModelType, ProviderModel
from catalog_pipeline.providers.openrouter_compatible import OpenRouterAPI
from catalog_pipeline.providers.spec import ProviderSpec

_CAPABILITIES = (
    ("tool_calling", "tools"),
    ("json_mode", "structured_outputs"),
    ("reasoning", "reasoning"),
    ("multimodal", "vision"),
)


class AnannasAPI(OpenRouterAPI):
    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        row = super().parse_item(spec, item)
        declared = item.get("capabilities")
        if not isinstance(declared, list):
            return row
        names = {c for c in declared if isinstance(c, str)}
        update: dict[str, Any] = {
            "capabilities": tuple(
                dict.fromkeys(
                    [*row.capabilities, *(label for n, label in _CAPABILITIES if n in names)]
                )
            )
        }
        if isinstance(item.get("provider"), str) and item["provider"]:
            update["publisher_hint"] = item["provider"]
        if "image_output" in names:
            update["output_modalities"] = ("text", "image")
        if "audio_output" in names:
            update["output_modalities"] = (*update.get("output_modalities", ("text",)), "audio")
        if "image_output" in names and "text" not in names:
            update["model_type"] = ModelType.IMAGE
        return row.model_copy(update=update)


PROVIDER = ProviderSpec(
    slug="anannas",
    name="Anannas AI",
    base_url="https://api.anannas.ai",
    list_path="/v1/models",
    parser=AnannasAPI(),
    price_unit="USD per token, decimal strings (pricing.prompt/completion); request in USD",
    docs_url="https://docs.anannas.ai/models",
)
