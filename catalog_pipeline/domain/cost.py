"""The cost of one request from an offer's prices: the bill a gateway sends, line by line.

Rules, in one place:

* Quantities do not overlap. ``input_tokens`` excludes cache reads, cache writes and
  audio input; ``output_tokens`` excludes reasoning and audio output. Each quantity is
  billed at its own price.
* The tier is chosen on the whole prompt (input + cache read + cache write + audio input):
  above a tier's threshold, every token line of the request takes that tier's price
  (Google's and Anthropic's long-context rule). Per-unit lines (images, requests, web
  searches, seconds) are not tiered.
* Reasoning tokens without a separate reasoning price are billed at the output price (the
  publishers that bill thinking tokens at all bill them as output); the line says so.
* A quantity whose price is unknown is never billed as 0: the cost has no total and names
  every such quantity in ``unknown``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.rows import Prices, PriceTier
from catalog_pipeline.domain.units import usd_amount


class Usage(BaseModel):
    """What one request consumed, as a gateway counts it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input_tokens: int = Field(default=0, ge=0)
    output_tokens: int = Field(default=0, ge=0)
    cache_read_tokens: int = Field(default=0, ge=0)
    cache_write_tokens: int = Field(default=0, ge=0)
    reasoning_tokens: int = Field(default=0, ge=0)
    audio_input_tokens: int = Field(default=0, ge=0)
    audio_output_tokens: int = Field(default=0, ge=0)
    images: int = Field(default=0, ge=0)
    input_images: int = Field(default=0, ge=0)
    requests: int = Field(default=0, ge=0)
    web_searches: int = Field(default=0, ge=0)
    seconds: Decimal = Field(default=Decimal(0), ge=0)

    @property
    def prompt_tokens(self) -> int:
        """The whole prompt, on which the tier is chosen."""
        return (
            self.input_tokens
            + self.cache_read_tokens
            + self.cache_write_tokens
            + self.audio_input_tokens
        )


TOKEN_LINES: tuple[tuple[str, str], ...] = (
    ("input_tokens", "prompt"),
    ("cache_read_tokens", "cache_read"),
    ("cache_write_tokens", "cache_write"),
    ("audio_input_tokens", "audio_input"),
    ("output_tokens", "completion"),
    ("reasoning_tokens", "reasoning"),
    ("audio_output_tokens", "audio_output"),
)
"""Usage quantity -> the token price that bills it."""

UNIT_LINES: tuple[tuple[str, str], ...] = (
    ("images", "per_image"),
    ("input_images", "per_input_image"),
    ("requests", "per_request"),
    ("web_searches", "per_web_search"),
    ("seconds", "per_second"),
)
"""Usage quantity -> the per-unit price that bills it (never tiered)."""

REASONING_AS_OUTPUT = "completion (no separate reasoning price: billed as output)"


@dataclass(frozen=True)
class CostLine:
    """One billed quantity: ``quantity`` times ``unit_price`` = ``usd``."""

    item: str
    quantity: Decimal
    price: str
    unit_price: Decimal
    usd: Decimal


@dataclass(frozen=True)
class Cost:
    """A request's bill. ``total_usd`` is None exactly when ``unknown`` names a quantity
    that was used and has no known price; a known total is the sum of the lines."""

    tier_above_prompt_tokens: int | None
    lines: tuple[CostLine, ...]
    unknown: tuple[str, ...]

    @property
    def total_usd(self) -> Decimal | None:
        if self.unknown:
            return None
        return usd_amount(sum((line.usd for line in self.lines), Decimal(0)))


def request_cost(prices: Prices, usage: Usage) -> Cost:
    """Bill ``usage`` at ``prices`` (see the module's rules)."""
    tier = prices.tier_for(usage.prompt_tokens)
    token_prices: Prices | PriceTier = tier if tier is not None else prices
    where = f" above {tier.above_prompt_tokens} prompt tokens" if tier is not None else ""
    lines: list[CostLine] = []
    unknown: list[str] = []
    for item, field in TOKEN_LINES:
        quantity = Decimal(getattr(usage, item))
        if not quantity:
            continue
        price, label = getattr(token_prices, field), field
        if price is None and field == "reasoning":
            price, label = token_prices.completion, REASONING_AS_OUTPUT
        if price is None:
            unknown.append(f"{item} (no known {field} price{where})")
            continue
        lines.append(CostLine(item, quantity, label + where, price, usd_amount(quantity * price)))
    for item, field in UNIT_LINES:
        quantity = Decimal(getattr(usage, item))
        if not quantity:
            continue
        price = getattr(prices, field)
        if price is None:
            unknown.append(f"{item} (no known {field} price)")
            continue
        lines.append(CostLine(item, quantity, field, price, usd_amount(quantity * price)))
    return Cost(
        tier_above_prompt_tokens=tier.above_prompt_tokens if tier is not None else None,
        lines=tuple(lines),
        unknown=tuple(unknown),
    )
