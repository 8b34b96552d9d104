"""Thresholds of the checks; the ``check_settings`` resource lets deployments tune them."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

DEFAULT_MAX_UNIT_PRICE_USD = {
    "per_request": "50",
    "per_image": "20",
    "per_input_image": "1",
    "per_web_search": "1",
    "per_second": "20",
}
"""USD per unit above which a per-unit price is a unit bug, not a price: the dearest real
ones are a few dollars (a second of generated video, a 4K image, a search-grounded request)."""


class CheckThresholds(BaseModel):
    """Check thresholds. Per-provider overrides take precedence over the defaults."""

    max_rejected_fraction: float = Field(
        default=0.05, ge=0, le=1, description="Share of items failing validation before ERROR."
    )
    count_drop_warn: float = Field(default=0.10, ge=0, le=1, description="Drop share for WARN.")
    count_drop_error: float = Field(default=0.50, ge=0, le=1, description="Drop share for ERROR.")
    count_drop_error_by_provider: dict[str, float] = Field(
        default_factory=dict, description="Per-provider ERROR drop share, e.g. {'fal': 0.8}."
    )
    max_token_price_usd: str = Field(
        default="0.001", description="Highest plausible USD per token ($1,000 per 1M)."
    )
    min_token_price_usd: str = Field(
        default="0.0000000001", description="Lowest plausible non-zero USD per token ($0.0001/M)."
    )
    max_unit_price_usd: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_MAX_UNIT_PRICE_USD),
        description="Highest plausible USD per unit of each per-unit price (per_request, "
        "per_image, per_input_image, per_web_search, per_second); a field left out keeps "
        "its default.",
    )
    min_unit_price_usd: str = Field(
        default="0.0000001", description="Lowest plausible non-zero USD per unit."
    )
    max_newly_free_offers: int = Field(
        default=3,
        ge=0,
        description="Priced offers of one provider that may become free in one sync before "
        "prices_sane is an ERROR (a WARN up to this many).",
    )
    max_price_move_ratio: float = Field(
        default=10.0, gt=1, description="A price moving by this factor since the last good sync."
    )

    max_provider_age_hours: float = Field(
        default=36.0, gt=0, description="A provider's last good sync must be younger than this."
    )
    outlier_ratio: float = Field(
        default=5.0, gt=1, description="Cross-provider price outlier: this factor from the median."
    )

    def drop_error_for(self, provider: str) -> float:
        return self.count_drop_error_by_provider.get(provider, self.count_drop_error)

    @property
    def token_price_band(self) -> tuple[Decimal, Decimal]:
        return Decimal(self.min_token_price_usd), Decimal(self.max_token_price_usd)

    def unit_price_band(self, name: str) -> tuple[Decimal, Decimal]:
        high = self.max_unit_price_usd.get(name, DEFAULT_MAX_UNIT_PRICE_USD[name])
        return Decimal(self.min_unit_price_usd), Decimal(high)
