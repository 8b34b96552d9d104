"""models.dev ``api.json``: ``{provider_id: {id, name, models: {model_id: {cost: ...}}}}``.

``cost`` is USD per 1M tokens: ``input``, ``output``, ``cache_read``, ``cache_write``,
``reasoning``, ``input_audio``, ``output_audio``, and long-context ``tiers``
(``[{"tier": {"type": "context", "size": 200000}, "input": ..., ...}]``; older exports
only ``context_over_200k``). A tier of any other type is not read (it would be a guess).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from catalog_pipeline.domain.rows import Prices, PriceTier
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.references.source import ReferenceSource, SourceEntry

FIELDS = {
    "input": "prompt",
    "output": "completion",
    "cache_read": "cache_read",
    "cache_write": "cache_write",
    "reasoning": "reasoning",
    "input_audio": "audio_input",
    "output_audio": "audio_output",
}


class _Tier(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str | None = None
    size: int


class _Cost(BaseModel):
    model_config = ConfigDict(extra="ignore")

    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    reasoning: Decimal | None = None
    input_audio: Decimal | None = None
    output_audio: Decimal | None = None


class _TierCost(_Cost):
    tier: _Tier


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    cost: dict[str, Any] | None = None


class _Provider(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    models: dict[str, _Model]


def _token_prices(cost: _Cost) -> dict[str, Decimal]:
    return {
        ours: per_million(value)
        for theirs, ours in FIELDS.items()
        if (value := getattr(cost, theirs)) is not None
    }


def _tiers(cost: dict[str, Any]) -> tuple[PriceTier, ...]:
    if cost.get("tiers"):
        tiers = [_TierCost.model_validate(entry) for entry in cost["tiers"]]
        if any(tier.tier.type not in (None, "context") for tier in tiers):
            return ()
        return tuple(
            PriceTier(above_prompt_tokens=tier.tier.size, **_token_prices(tier)) for tier in tiers
        )
    if cost.get("context_over_200k"):
        over = _Cost.model_validate(cost["context_over_200k"])
        return (PriceTier(above_prompt_tokens=200_000, **_token_prices(over)),)
    return ()


def prices_of(cost: dict[str, Any]) -> Prices:
    return Prices(**_token_prices(_Cost.model_validate(cost)), tiers=_tiers(cost))


def parse_provider(key: str | None, item: Any) -> list[SourceEntry]:
    provider = _Provider.model_validate(item)
    return [
        SourceEntry(
            source_provider=provider.id,
            source_id=model.id or model_key,
            key=f"{provider.id}/{model.id or model_key}",
            prices=prices_of(model.cost),
        )
        for model_key, model in provider.models.items()
        if model.cost
    ]


SOURCE = ReferenceSource(
    slug="models-dev",
    name="models.dev",
    base_url="https://models.dev",
    path="/api.json",
    docs_url="https://github.com/anomalyco/models.dev",
    price_unit="USD per 1M tokens",
    map_items=True,
    parse_item=parse_provider,
)
