"""pydantic's genai-prices, ``data.json`` v2: ``[{id, models: [{id, match, prices}]}]``.

Prices are USD per 1M tokens (``input_mtok``, ``output_mtok``, ``cache_read_mtok``,
``cache_write_mtok``, ``input_audio_mtok``, ``output_audio_mtok``), a number or
``{"base": ..., "tiers": [{"start": N, "price": ...}]}``. A model prices the ids its
``match`` rule names with ``equals`` (also inside ``or``): the only rule that names an exact
id. ``starts_with``/``contains`` rules and prices that vary by date (a list of
constrained prices) are not read: applying them to an id would be a guess.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from catalog_pipeline.domain.rows import Prices, PriceTier
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.providers.references.source import ReferenceSource, SourceEntry

FIELDS = {
    "input_mtok": "prompt",
    "output_mtok": "completion",
    "cache_read_mtok": "cache_read",
    "cache_write_mtok": "cache_write",
    "input_audio_mtok": "audio_input",
    "output_audio_mtok": "audio_output",
}


def exact_ids(rule: Any) -> list[str]:
    """The ids an ``equals`` rule (alone or inside ``or``) names; nothing else matches."""
    if not isinstance(rule, dict):
        return []
    if isinstance(rule.get("equals"), str):
        return [rule["equals"]]
    if isinstance(rule.get("or"), list):
        return [model_id for part in rule["or"] for model_id in exact_ids(part)]
    return []


def _number(value: Any, name: str) -> Decimal:
    if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
        raise ValueError(f"{name} is {value!r}, not a number")
    return per_million(value)


def prices_of(prices: dict[str, Any]) -> Prices:
    base: dict[str, Decimal] = {}
    tiers: dict[int, dict[str, Decimal]] = {}
    for theirs, ours in FIELDS.items():
        value = prices.get(theirs)
        if value is None:
            continue
        if isinstance(value, dict):
            base[ours] = _number(value.get("base"), f"{theirs}.base")
            for tier in value.get("tiers") or []:
                start = tier.get("start")
                if not isinstance(start, int) or start <= 0:
                    raise ValueError(f"{theirs}: tier start {start!r} is not a token count")
                tiers.setdefault(start, {})[ours] = _number(tier.get("price"), theirs)
        else:
            base[ours] = _number(value, theirs)
    return Prices(
        **base, tiers=tuple(PriceTier(above_prompt_tokens=t, **tiers[t]) for t in sorted(tiers))
    )


def parse_provider(key: str | None, item: Any) -> list[SourceEntry]:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise ValueError("provider entry without an id")
    entries = []
    for model in item.get("models") or []:
        prices = model.get("prices")
        if not isinstance(prices, dict):
            continue
        parsed = prices_of(prices)
        for model_id in dict.fromkeys(exact_ids(model.get("match"))):
            entries.append(
                SourceEntry(
                    source_provider=item["id"],
                    source_id=model_id,
                    key=f"{item['id']}/{model.get('id')}",
                    prices=parsed,
                )
            )
    return entries


SOURCE = ReferenceSource(
    slug="genai-prices",
    name="genai-prices (pydantic)",
    base_url="https://raw.githubusercontent.com",
    path="/pydantic/genai-prices/main/prices/new_data/v2/data.json",
    docs_url="https://github.com/pydantic/genai-prices",
    price_unit="USD per 1M tokens",
    parse_item=parse_provider,
)
