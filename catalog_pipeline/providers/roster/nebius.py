"""Nebius Token Factory ``GET /v1/models?verbose=true``: ``pricing.*`` in USD per token.

Prices come only with ``verbose=true``. Not read: ``pricing.image``,
``price_per_video_second`` and ``price_per_minute`` (their unit is not documented for the
verbose list). A ``-fast`` variant is its own model with its own price.
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
    context_length=(("context_length",),),
    max_output_tokens=(("max_output",), ("max_output_tokens",)),
    modality_string=("architecture", "modality"),
    features=(("supported_features",),),
    query=(("verbose", "true"),),
)


PROVIDER = ProviderSpec(
    slug="nebius",
    name="Nebius Token Factory",
    base_url="https://api.tokenfactory.nebius.com",
    list_path="/v1/models",
    parser=OpenHostAPI(FIELDS),
    price_unit="USD per token (pricing.prompt / pricing.completion, decimal strings; "
    "only with ?verbose=true)",
    docs_url="https://docs.tokenfactory.nebius.com/api-reference/examples/list-of-models",
)
