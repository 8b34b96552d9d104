"""Curated prices for providers whose list API has none, each entry with a source and a date.

Each file (``data/curated_prices*.csv``; columns ``provider, provider_model_id, unit,
prompt, completion, cache_read, cache_write, per_image_usd, source_url, checked_on, note``)
states its token unit in a column, so the conversion is explicit per row and goes through
:mod:`catalog_pipeline.domain.units`; ``per_image_usd`` is USD per generated image.
Entries are keyed by the exact ``provider_model_id``: a dated snapshot can be priced
differently from its alias (``gpt-4o-2024-05-13`` was), so nothing is inherited by
similarity.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from importlib import resources
from importlib.resources.abc import Traversable

from pydantic import BaseModel, ConfigDict

from catalog_pipeline.domain.rows import Prices
from catalog_pipeline.domain.units import per_million, per_token, usd

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
    """Every ``data/curated_prices*.csv`` file, merged; a key in two places is an error."""
    folder = resources.files("catalog_pipeline.domain").joinpath("data")
    entries: dict[tuple[str, str], CuratedPrice] = {}
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if file.name.startswith("curated_prices") and file.name.endswith(".csv"):
            _load(file, entries)
    return entries


def _load(file: Traversable, entries: dict[tuple[str, str], CuratedPrice]) -> None:
    with file.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{file.name} line {line}"
            convert = _CONVERTERS.get(row["unit"])
            if convert is None:
                raise ValueError(f"{where}: unknown unit {row['unit']!r}")
            fields = {
                name: convert(row[name])
                for name in ("prompt", "completion", "cache_read", "cache_write")
                if (row.get(name) or "").strip()
            }
            if (row.get("per_image_usd") or "").strip():
                fields["per_image"] = usd(row["per_image_usd"])
            key = (row["provider"], row["provider_model_id"])
            if key in entries:
                raise ValueError(f"{where}: duplicate entry {key}")
            entries[key] = CuratedPrice(
                provider=row["provider"],
                provider_model_id=row["provider_model_id"],
                prices=Prices(**fields),
                source_url=row["source_url"],
                checked_on=dt.date.fromisoformat(row["checked_on"]),
            )
