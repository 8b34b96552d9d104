"""The alias table: explicit, sourced, lossless mappings from a spelling to one canonical id."""

from __future__ import annotations

import csv
import functools
from importlib import resources

from pydantic import BaseModel, ConfigDict

from catalog_pipeline.domain.ids import is_canonical


class Alias(BaseModel):
    model_config = ConfigDict(frozen=True)

    alias: str
    canonical_id: str
    source: str


@functools.cache
def aliases() -> dict[str, Alias]:
    """Every alias, keyed by its lowercase spelling; a duplicate or a chain is an error."""
    path = resources.files("catalog_pipeline.domain").joinpath("data/aliases.csv")
    table: dict[str, Alias] = {}
    with path.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            entry = Alias(**row)
            key = entry.alias.lower()
            if not entry.source.strip():
                raise ValueError(f"aliases.csv line {line}: alias {entry.alias!r} has no source")
            if not is_canonical(entry.canonical_id):
                raise ValueError(f"aliases.csv line {line}: {entry.canonical_id!r} not canonical")
            if key in table and table[key].canonical_id != entry.canonical_id:
                raise ValueError(
                    f"aliases.csv line {line}: {entry.alias!r} points to two models: "
                    f"{table[key].canonical_id} and {entry.canonical_id}"
                )
            table[key] = entry
    for entry in table.values():
        if entry.canonical_id in table:
            raise ValueError(f"aliases.csv: {entry.canonical_id!r} is itself an alias (a chain)")
    return table


def apply_alias(canonical: str) -> str:
    """The alias table's target for a rule-computed id, else the id itself (one hop only)."""
    entry = aliases().get(canonical)
    return entry.canonical_id if entry else canonical
