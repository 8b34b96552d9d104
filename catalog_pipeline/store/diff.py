"""The diff of one provider update: offers against stored rows, decided in memory.

No database access here: :mod:`catalog_pipeline.store.apply` reads the stored rows (or
takes the ones the sync carried), plans with these functions, and writes the plan.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from catalog_pipeline.domain.rows import PRICE_COLUMN_NAMES, PRICE_COLUMNS, Offer
from catalog_pipeline.domain.units import decimal_str
from catalog_pipeline.store.records import (
    STORED_HASH,
    STORED_ID,
    STORED_LAST_SEEN,
    STORED_MISSES,
    STORED_STATUS,
    StoredRow,
)

PriceTexts = dict[str, str | None]


@dataclass
class ChangeSummary:
    """What one provider update changed in the models table."""

    added: list[str] = field(default_factory=list)
    repriced: list[tuple[str, PriceTexts, PriceTexts]] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    reappeared: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)
    unchanged: int = 0
    rows_written: int = 0
    catalog_version: int = 0

    @property
    def changed(self) -> bool:
        return self.rows_written > 0


@dataclass
class Plan:
    """What one provider update writes: the offers to insert and those whose price
    interval opens (rows built while they are written), and the updates as tuples in the
    ``*_COLUMNS`` orders of :mod:`~catalog_pipeline.store.apply`, led by the row id."""

    inserts: list[Offer] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    misses: list[tuple[Any, ...]] = field(default_factory=list)
    opened: list[Offer] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Model rows this plan writes."""
        return len(self.inserts) + len(self.updates) + len(self.misses)


def plan_offers(
    plan: Plan, summary: ChangeSummary, offers: Sequence[Offer], existing: Mapping[str, StoredRow]
) -> list[tuple[Offer, StoredRow]]:
    """Plan the inserts; count the unchanged; return the existing rows that differ.

    An unchanged offer costs a dict lookup and a comparison of digests.
    """
    changed: list[tuple[Offer, StoredRow]] = []
    unchanged = 0
    for offer in offers:
        model_id = offer.provider_model_id
        old = existing.get(model_id)
        if old is None:
            plan.inserts.append(offer)
            plan.opened.append(offer)
            summary.added.append(model_id)
        elif old[STORED_STATUS] == "active" and old[STORED_HASH] == offer.content_hash:
            unchanged += 1
        else:
            changed.append((offer, old))
    summary.unchanged += unchanged
    return changed


def plan_changes(
    plan: Plan,
    summary: ChangeSummary,
    changed: Sequence[tuple[Offer, StoredRow]],
    old_prices: Mapping[int, Sequence[Decimal | None]],
    stamp: Any,
) -> None:
    """Rewrite each differing row; a new price also closes and opens a history interval."""
    for offer, old in changed:
        model_id, values, row_id = offer.provider_model_id, offer.column_values, old[STORED_ID]
        plan.updates.append((row_id, *values, "active", 0, offer.content_hash, stamp, stamp))
        repricing = _repricing(old_prices[row_id], values[PRICE_COLUMNS])
        if repricing is not None:
            summary.repriced.append((model_id, *repricing))
            plan.closed.append(model_id)
            plan.opened.append(offer)
        elif old[STORED_STATUS] != "active":
            summary.reappeared.append(model_id)
        else:
            summary.updated.append(model_id)


def plan_misses(
    plan: Plan,
    summary: ChangeSummary,
    offered: Container[str],
    existing: Mapping[str, StoredRow],
    deprecate_after_misses: int,
    previous_success: Any,
    stamp: Any,
) -> None:
    """Rows the provider no longer lists: missing, then deprecated after N misses."""
    for model_id, stored in existing.items():
        if model_id in offered:
            continue
        old_status = stored[STORED_STATUS]
        if old_status == "deprecated":
            continue
        count = stored[STORED_MISSES] + 1
        status = "deprecated" if count >= deprecate_after_misses else "missing"
        last_seen = previous_success if old_status == "active" else stored[STORED_LAST_SEEN]
        plan.misses.append((stored[STORED_ID], status, count, stamp, last_seen))
        (summary.deprecated if status == "deprecated" else summary.missing).append(model_id)


def _price_texts(prices: Sequence[Decimal | str | None]) -> PriceTexts:
    """Each price as text: decimals in plain form, the tiers as their stored JSON."""
    return {
        name: value if isinstance(value, str) or value is None else decimal_str(value)
        for name, value in zip(PRICE_COLUMN_NAMES, prices, strict=True)
    }


def _repricing(
    before: Sequence[Decimal | None], after: Sequence[Decimal | None]
) -> tuple[PriceTexts, PriceTexts] | None:
    """The old and new price texts if the prices differ, else None (equal values are
    decided without formatting them, so a change of name alone stays cheap)."""
    if tuple(before) == tuple(after):
        return None
    old, new = _price_texts(before), _price_texts(after)
    return (old, new) if old != new else None
