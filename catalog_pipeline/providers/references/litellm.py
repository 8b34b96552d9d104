"""LiteLLM's cost map: ``{key: {litellm_provider, input_cost_per_token, ...}}``, USD per token.

The key is the model as LiteLLM routes it (``gemini/gemini-2.5-pro``, ``gpt-4o``); the
``litellm_provider`` names the provider. Long-context prices are the same fields with
``_above_<N>k_tokens``; batch, priority and flex prices are other products, not read.
``sample_spec`` documents the format and prices nothing.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from catalog_pipeline.domain.rows import Prices, PriceTier
from catalog_pipeline.domain.units import per_token
from catalog_pipeline.providers.references.source import ReferenceSource, SourceEntry

FIELDS = {
    "input_cost_per_token": "prompt",
    "output_cost_per_token": "completion",
    "cache_read_input_token_cost": "cache_read",
    "cache_creation_input_token_cost": "cache_write",
    "output_cost_per_reasoning_token": "reasoning",
    "input_cost_per_audio_token": "audio_input",
    "output_cost_per_audio_token": "audio_output",
}
_TIERED = re.compile(r"^(?P<field>[a-z_]+)_above_(?P<thousands>\d+)k_tokens$")
SPEC_KEY = "sample_spec"


def _price(value: Any, name: str) -> Decimal:
    if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
        raise ValueError(f"{name} is {value!r}, not a number")
    return per_token(value)


def prices_of(item: dict[str, Any]) -> Prices:
    base = {ours: _price(item[theirs], theirs) for theirs, ours in FIELDS.items() if theirs in item}
    tiers: dict[int, dict[str, Decimal]] = {}
    for name, value in item.items():
        match = _TIERED.match(name)
        if match and match.group("field") in FIELDS:
            threshold = int(match.group("thousands")) * 1000
            tiers.setdefault(threshold, {})[FIELDS[match.group("field")]] = _price(value, name)
    return Prices(
        **base,
        tiers=tuple(PriceTier(above_prompt_tokens=t, **tiers[t]) for t in sorted(tiers)),
    )


def parse_entry(key: str | None, item: Any) -> list[SourceEntry]:
    if key == SPEC_KEY or key is None:
        return []
    if not isinstance(item, dict):
        raise ValueError(f"{key}: entry is a {type(item).__name__}, not an object")
    provider = item.get("litellm_provider")
    if not isinstance(provider, str) or not provider:
        raise ValueError(f"{key}: no litellm_provider")
    return [SourceEntry(source_provider=provider, source_id=key, key=key, prices=prices_of(item))]


SOURCE = ReferenceSource(
    slug="litellm",
    name="LiteLLM cost map",
    base_url="https://raw.githubusercontent.com",
    path="/BerriAI/litellm/main/model_prices_and_context_window.json",
    docs_url="https://docs.litellm.ai/docs/completion/token_usage",
    price_unit="USD per token",
    map_items=True,
    parse_item=parse_entry,
)
