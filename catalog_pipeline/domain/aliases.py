"""The two alias tables, both data with a source for every row.

- ``aliases.csv``: **spelling aliases**, lossless: another way of writing one model's
  canonical id (``anthropic/claude-4.5-sonnet`` is ``anthropic/claude-sonnet-4.5``).
  Normalization applies them, so offers spelled either way group under one canonical id.
- ``moving_aliases.csv``: **moving aliases**, a publisher's undated name that points to a
  pinned version (``mistral-large-latest`` -> ``mistral-large-2512``), with the source and
  the date the target was checked. They move, so they never merge offers: a provider that
  lists the alias itself is answered with its own offer of the alias; resolution follows the
  row only when the alias is not listed by its publisher (and says ``moving_alias``).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from importlib import resources

from pydantic import BaseModel, ConfigDict

from catalog_pipeline.domain.ids import (
    PUBLISHER_ALIASES,
    canonical_id,
    fold_case,
    is_canonical,
    publisher_name,
)


class Alias(BaseModel):
    model_config = ConfigDict(frozen=True)

    alias: str
    canonical_id: str
    source: str


class MovingAlias(BaseModel):
    """A publisher's moving name and the pinned version it pointed to when checked."""

    model_config = ConfigDict(frozen=True)

    publisher: str
    alias: str
    target: str
    source: str
    checked_on: dt.date

    @property
    def alias_id(self) -> str:
        return canonical_id(self.alias, self.publisher)

    @property
    def target_id(self) -> str:
        return canonical_id(self.target, self.publisher)


def _rows(name: str) -> list[tuple[int, dict[str, str]]]:
    path = resources.files("catalog_pipeline.domain").joinpath(f"data/{name}")
    with path.open(encoding="utf-8") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


@functools.cache
def aliases() -> dict[str, Alias]:
    """Every spelling alias, keyed by its lowercase spelling; a duplicate or a chain is an error."""
    table: dict[str, Alias] = {}
    for line, row in _rows("aliases.csv"):
        entry = Alias(**row)
        key = fold_case(entry.alias)
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


@functools.cache
def moving_aliases() -> dict[str, MovingAlias]:
    """Every moving alias of ``moving_aliases.csv``, keyed by the canonical id of the alias."""
    return moving_alias_table(_rows("moving_aliases.csv"))


def moving_alias_table(rows: Iterable[tuple[int, Mapping[str, str]]]) -> dict[str, MovingAlias]:
    """The moving aliases of ``(line, row)`` pairs, validated.

    Errors: a row without a source, an unknown publisher, an alias whose canonical id is
    not the publisher's, a duplicate, an alias pointing to itself or to another alias, and
    an alias that is also a spelling alias (one name would mean two things).
    """
    table: dict[str, MovingAlias] = {}
    known = set(PUBLISHER_ALIASES.values())
    for line, row in rows:
        entry = MovingAlias(**row)
        where = f"moving_aliases.csv line {line} ({entry.alias!r})"
        if not entry.source.strip():
            raise ValueError(f"{where}: no source")
        if publisher_name(entry.publisher) != entry.publisher or entry.publisher not in known:
            raise ValueError(f"{where}: unknown publisher {entry.publisher!r}")
        key, target = entry.alias_id, entry.target_id
        if key.split("/", 1)[0] != entry.publisher or target.split("/", 1)[0] != entry.publisher:
            raise ValueError(f"{where}: alias or target is not a {entry.publisher} model id")
        if key == target:
            raise ValueError(f"{where}: points to itself")
        if key in table:
            raise ValueError(f"{where}: duplicate of {table[key].alias!r}")
        if key in aliases():
            raise ValueError(f"{where}: also a spelling alias in aliases.csv")
        table[key] = entry
    for entry in table.values():
        if entry.target_id in table:
            raise ValueError(f"moving_aliases.csv: {entry.target!r} is itself an alias (a chain)")
    return table


def apply_alias(canonical: str) -> str:
    """The spelling-alias target of a rule-computed id, else the id itself (one hop only)."""
    entry = aliases().get(canonical)
    return entry.canonical_id if entry else canonical
