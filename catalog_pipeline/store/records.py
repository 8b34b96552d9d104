"""The plain values the store takes and hands back at its boundary.

The store knows nothing of provider specs or HTTP fetches: callers describe a provider
(:class:`ProviderRow`) and a fetch (:class:`FetchRecord`) in these terms, and a sync carries
the rows it read (:class:`StoredOffers`) from its checks to its write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ProviderRow:
    """A provider as the ``providers`` table registers it."""

    slug: str
    name: str
    api_family: str
    list_url: str
    price_unit: str


@dataclass(frozen=True)
class PageRecord:
    """One fetched response page as it is archived in ``raw_payloads``."""

    url: str
    http_status: int
    sha256: str
    size: int
    content_gzip: bytes


@dataclass(frozen=True)
class FetchRecord:
    """The facts of one successful fetch: when, which bytes, how many rows came of them."""

    fetched_at: dt.datetime
    sha256: str
    model_count: int
    rejected_count: int
    pages: Sequence[PageRecord]


StoredRow = tuple[Any, ...]
"""A provider's stored row as a sync needs it, a plain tuple (see ``STORED_*``)."""

STORED_ID, STORED_HASH, STORED_STATUS, STORED_MISSES, STORED_LAST_SEEN = range(5)
STORED_PRICES = slice(5, None)
"""Positions in a :data:`StoredRow`: id, content_hash, status, missing_count, last_seen_at
(only for rows not active: an active row that goes missing takes the previous sync's
time), then the prices in ``PRICE_COLUMN_NAMES`` order (tiers as JSON text last)."""


class StoredOffers:
    """Every row the store held for one provider, read once per sync, and the provider's
    ``rows_version`` read in the same snapshot.

    The checks compare a fetch with the active rows; the write step hands the whole
    object back to ``apply_offers``, which diffs against it instead of reading the rows
    again when the provider's ``rows_version`` has not moved since (every write of the
    provider's rows gives it a new one). A plain class, not a pydantic model or dataclass,
    so the snapshots that carry it between steps do not validate 100,000 tuples.
    """

    __slots__ = ("rows", "version")

    def __init__(self, version: int | None, rows: dict[str, StoredRow]) -> None:
        self.version = version
        self.rows = rows

    def __repr__(self) -> str:
        return f"StoredOffers(version={self.version!r}, rows={len(self.rows)})"

    def active_ids(self) -> set[str]:
        return {model_id for model_id, row in self.rows.items() if row[STORED_STATUS] == "active"}

    def active_prices(self) -> dict[str, tuple[Decimal | None, ...]]:
        """provider_model_id -> prices (``PRICE_COLUMN_NAMES`` order) of the active rows."""
        return {
            model_id: row[STORED_PRICES]
            for model_id, row in self.rows.items()
            if row[STORED_STATUS] == "active"
        }
