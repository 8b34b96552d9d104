"""Featherless AI ``GET /v1/models``: subscription priced, ~17,800 models in one response.

``{"data": [{"id", "name", "model_class", "context_length", "max_completion_tokens"}]}``.
Featherless sells flat monthly plans, not tokens, so no row carries a price
(``price_source="none"``). Every model it serves is a text-generation LLM, so the type is
chat without per-item inference. The list is ~17,800 items in one ~50 MB response, so the
parser validates each item with plain type checks instead of a pydantic model.
"""

from __future__ import annotations

from typing import Any

from catalog_pipeline.domain.rows import ProviderModel
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import ProviderSpec


class FeatherlessAPI(ModelListAPI):
    """Plain type checks per item: this runs ~17,800 times per sync."""

    dialect = "featherless"

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        model_id = item.get("id")
        if not isinstance(model_id, str) or not model_id:
            raise ValueError("item has no string 'id'")
        context = item.get("context_length")
        max_out = item.get("max_completion_tokens")
        return ProviderModel(
            provider_model_id=model_id,
            publisher_hint=model_id.split("/", 1)[0] if "/" in model_id else None,
            context_length=context if _positive_int(context) else None,
            max_output_tokens=max_out if _positive_int(max_out) else None,
            price_source="none",
        )


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


PROVIDER = ProviderSpec(
    slug="featherless",
    name="Featherless AI",
    base_url="https://api.featherless.ai",
    list_path="/v1/models",
    key_required=False,
    parser=FeatherlessAPI(),
    price_unit="none: flat monthly subscription plans, no per-token price exists",
    price_source="none",
    docs_url="https://featherless.ai/docs/api-reference-models",
)
