"""Values passed between the per-provider assets (pickled by the IO manager, per partition)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from catalog_pipeline.catalog.rows import Offer, ProviderModel, RejectedRow


class ProviderSnapshot(BaseModel):
    """One successful fetch of a provider's model list, parsed."""

    model_config = ConfigDict(frozen=True)

    provider: str
    snapshot_id: int
    fetched_at: dt.datetime
    sha256: str
    rows: list[ProviderModel]
    rejected_count: int
    rejected: list[RejectedRow]

    @property
    def item_count(self) -> int:
        return len(self.rows) + self.rejected_count


class NormalizedSnapshot(BaseModel):
    """The same snapshot as offers: canonical ids, display names, prices per token."""

    model_config = ConfigDict(frozen=True)

    provider: str
    snapshot_id: int
    offers: list[Offer]
