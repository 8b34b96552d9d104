"""Curated prices for providers whose list API has none, each entry with a source and a date.

The file states its unit in a column, so the conversion is explicit per row and goes
through :mod:`catalog_pipeline.catalog.units`. Entries are keyed by the exact
``provider_model_id``: a dated snapshot can be priced differently from its alias
(``gpt-4o-2024-05-13`` was), so nothing is inherited by similarity.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from importlib import resources

from pydantic import BaseModel, ConfigDict

from catalog_pipeline.catalog.rows import Prices
from catalog_pipeline.catalog.units import per_million, per_token

_CONVERTERS = {"usd_per_million_tokens": per_million, "usd_per_token": per_token}


class CuratedPrice(BaseModel):
    model_config = ConfigDict(frozen=True)

    provider: str
    provider_model_id: str
    prices: Prices
    source_url: str
    checked_on: dt.date

    @property
    def price_source(self) -> str:
        return f"curated:{self.source_url} (checked {self.checked_on.isoformat()})"


@functools.cache
def curated_prices() -> dict[tuple[str, str], CuratedPrice]:
    text = resources.files("catalog_pipeline.catalog").joinpath("data/curated_prices.csv")
    entries: dict[tuple[str, str], CuratedPrice] = {}
    with text.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            convert = _CONVERTERS.get(row["unit"])
            if convert is None:
                raise ValueError(f"curated_prices.csv line {line}: unknown unit {row['unit']!r}")
            fields = {
                name: convert(row[name])
                for name in ("prompt", "completion", "cache_read", "cache_write")
                if row[name].strip()
            }
            key = (row["provider"], row["provider_model_id"])
            if key in entries:
                raise ValueError(f"curated_prices.csv line {line}: duplicate entry {key}")
            entries[key] = CuratedPrice(
                provider=row["provider"],
                provider_model_id=row["provider_model_id"],
                prices=Prices(**fields),
                source_url=row["source_url"],
                checked_on=dt.date.fromisoformat(row["checked_on"]),
            )
    return entries
