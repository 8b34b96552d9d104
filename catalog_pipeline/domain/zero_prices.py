"""A router's ``0`` that does not mean free: the one rule for reading it as unknown.

Routers list models billed per song, clip, image or second with token prices of ``"0"``
(OpenRouter lists ``google/lyria-3-pro-preview`` at prompt and completion ``"0"`` while
its description says "$0.08 per song"). A gateway that reads that 0 bills the request as
free, the worst kind of wrong price. So a zero is read as unknown when the model's output
is audio, video or music, or its description names a price per song, clip, image, video,
second or minute; the offer then answers "unpriced" and a WARN check lists it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from catalog_pipeline.domain.rows import PRICE_FIELDS, TOKEN_PRICE_FIELDS, Prices, PriceTier

NON_TOKEN_OUTPUTS = frozenset({"audio", "video", "music"})
"""Output modalities that are billed per unit (song, clip, second), not per text token."""

_PER_UNIT = re.compile(
    r"\$\s*\d[\d,]*(?:\.\d+)?(?:\s*/\s*|\s+(?:per|an?|each)\s+)"
    r"(?:\w+[\s-]+){0,2}(song|clip|image|video|second|minute|track)s?\b",
    re.IGNORECASE,
)


def zero_price_doubt(output_modalities: Iterable[str], description: str | None) -> str | None:
    """Why this model's zero prices cannot mean free, or None when a zero is free."""
    reasons = []
    outputs = sorted(set(output_modalities) & NON_TOKEN_OUTPUTS)
    if outputs:
        reasons.append(f"its output is {' and '.join(outputs)}")
    match = _PER_UNIT.search(description or "")
    if match:
        reasons.append(f"its description says {match.group(0)!r}")
    return "; ".join(reasons) or None


def zeros_unknown(prices: Prices) -> tuple[Prices, tuple[str, ...]]:
    """``prices`` with every 0 read as unknown, and the names of the prices that were 0."""
    zeros = tuple(name for name in PRICE_FIELDS if getattr(prices, name) == 0)
    tiers = tuple(tier for tier in map(_tier_without_zeros, prices.tiers) if not tier.is_unpriced())
    if not zeros and tiers == prices.tiers:
        return prices, ()
    update: dict[str, object] = {name: None for name in zeros}
    return prices.model_copy(update={**update, "tiers": tiers}), zeros


def _tier_without_zeros(tier: PriceTier) -> PriceTier:
    known = {name: getattr(tier, name) for name in TOKEN_PRICE_FIELDS}
    return PriceTier(
        above_prompt_tokens=tier.above_prompt_tokens,
        **{name: value for name, value in known.items() if value},
    )
