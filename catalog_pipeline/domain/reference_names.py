"""Which roster provider and exact model id a reference source's entry prices.

Each reference source names providers its own way (models.dev ``moonshotai``, LiteLLM
``gemini``, genai-prices ``x-ai``) and spells model ids its own way (LiteLLM
``gemini/gemini-2.5-pro`` for the id the Gemini API lists as ``models/gemini-2.5-pro``).
``data/reference_providers.csv`` holds both, one sourced row per (source, provider name):
the roster slug, the prefix the source puts in front of the id (stripped) and the prefix
the provider's own list puts in front of it (added). Nothing else is done to an id: no
case folding, no canonical form, so an entry prices exactly the id the provider serves or
nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from importlib import resources
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

TABLE = "reference_providers.csv"


class ReferenceProviderName(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    source_provider: str = Field(min_length=1)
    provider: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    strip_prefix: str = ""
    add_prefix: str = ""
    source_note: str = Field(min_length=1)
    checked_on: dt.date


class MatchedId(NamedTuple):
    provider: str
    provider_model_id: str


@functools.cache
def reference_provider_names() -> dict[tuple[str, str], ReferenceProviderName]:
    """Every row of the table keyed by (source, the source's provider name)."""
    path = resources.files("catalog_pipeline.domain").joinpath(f"data/{TABLE}")
    table: dict[tuple[str, str], ReferenceProviderName] = {}
    with path.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            entry = ReferenceProviderName.model_validate(row)
            key = (entry.source, entry.source_provider)
            if key in table:
                raise ValueError(f"{TABLE} line {line}: duplicate {key}")
            table[key] = entry
    return table


def match_reference(source: str, source_provider: str, source_id: str) -> MatchedId | None:
    """The (roster provider, exact provider model id) a source's entry prices, or None when
    the table does not name the source's provider (not in the roster, or not mapped)."""
    entry = reference_provider_names().get((source, source_provider))
    if entry is None:
        return None
    model_id = source_id
    if entry.strip_prefix and model_id.startswith(entry.strip_prefix):
        model_id = model_id[len(entry.strip_prefix) :]
    if not model_id:
        return None
    return MatchedId(entry.provider, entry.add_prefix + model_id)
