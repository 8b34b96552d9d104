"""Cerebras public ``GET /public/v1/models``: ``pricing.*`` as decimal strings in USD per token.

The bare ``/v1/models`` list (with a key) has no prices; the public one carries them, plus
``limits`` and an OpenRouter-style ``architecture.modality`` (``"text+vision"``).
"""

from __future__ import annotations

from catalog_pipeline.domain.units import per_token
from catalog_pipeline.providers.openai_compatible import HostFieldMap, OpenHostAPI, PriceField
from catalog_pipeline.providers.spec import ProviderSpec

FIELDS = HostFieldMap(
    prices=(
        PriceField("prompt", ("pricing", "prompt"), per_token),
        PriceField("completion", ("pricing", "completion"), per_token),
    ),
    name=(("name",),),
    context_length=(("limits", "max_context_length"), ("context_length",)),
    max_output_tokens=(("limits", "max_completion_tokens"),),
    modality_string=("architecture", "modality"),
    features=(("capabilities",),),
    publisher="owned_by",
)


PROVIDER = ProviderSpec(
    slug="cerebras",
    name="Cerebras",
    base_url="https://api.cerebras.ai",
    list_path="/public/v1/models",
    key_required=False,
    parser=OpenHostAPI(FIELDS),
    price_unit="USD per token (pricing.prompt / pricing.completion, decimal strings)",
    docs_url="https://inference-docs.cerebras.ai",
)
