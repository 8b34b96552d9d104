"""Values passed between the steps of one provider's sync (pickled by the IO manager)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from catalog_pipeline.domain.rows import Offer, ProviderModel, RejectedRow


class ProviderSnapshot(BaseModel):
    """One successful fetch of a provider's model list, parsed.

    ``previous_prices`` is what the store held for the provider when the fetch landed
    (active rows: provider_model_id -> prices): read once per run and carried to every
    check that compares against the last good sync.
    """

    model_config = ConfigDict(frozen=True)

    provider: str
    snapshot_id: int
    fetched_at: dt.datetime
    sha256: str
    rows: list[ProviderModel]
    rejected_count: int
    rejected: list[RejectedRow]
    previous_prices: dict[str, dict[str, Decimal | None]] = {}

    @property
    def item_count(self) -> int:
        return len(self.rows) + self.rejected_count


class NormalizedSnapshot(BaseModel):
    """The same snapshot as offers: canonical ids, display names, prices per token."""

    model_config = ConfigDict(frozen=True)

    provider: str
    snapshot_id: int
    offers: list[Offer]
