"""Values passed between the steps of one provider's sync (pickled by the IO manager)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from catalog_pipeline.domain.overrides import PriceOverride
from catalog_pipeline.domain.references import ReferenceObservation
from catalog_pipeline.domain.rows import Offer, ProviderModel, RejectedRow
from catalog_pipeline.store.records import StoredOffers


class ProviderSnapshot(BaseModel):
    """One successful fetch of a provider's model list, parsed.

    ``stored`` is what the store held for the provider when the fetch landed: read once
    per run, carried to every check that compares against the last good sync and on to
    the write, which diffs against it. None: compare with nothing (a reset).
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    provider: str
    snapshot_id: int
    fetched_at: dt.datetime
    sha256: str
    rows: list[ProviderModel]
    rejected_count: int
    rejected: list[RejectedRow]
    stored: StoredOffers | None = None
    overrides: list[PriceOverride] = []
    """The provider's operator overrides as stored when the fetch landed, expired ones too
    (``normalize_and_check`` applies those in force)."""
    operator_priced: frozenset[str] = frozenset()
    """Model ids whose stored price an override may have set: named by an override now, or
    by one changed since the provider's last successful sync. Their prices may move on
    purpose, so ``prices_sane`` does not compare them with the stored ones."""
    references: list[ReferenceObservation] = []
    """The reference sources' (and routers') observations of this provider's models, read
    from the store with ``stored``: what normalization prices by and the checks compare."""

    @property
    def item_count(self) -> int:
        return len(self.rows) + self.rejected_count


class NormalizedSnapshot(BaseModel):
    """The same snapshot as offers: canonical ids, display names, prices per token, and
    the stored rows the fetch step read (``ProviderSnapshot.stored``)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    provider: str
    snapshot_id: int
    offers: list[Offer]
    stored: StoredOffers | None = None
