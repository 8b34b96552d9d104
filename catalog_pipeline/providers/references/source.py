"""A reference price source as one object: where its file lives and how to read it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from catalog_pipeline.domain.reference_names import match_reference
from catalog_pipeline.domain.references import ReferenceObservation
from catalog_pipeline.domain.rows import Prices, ProviderModel
from catalog_pipeline.providers.dialect import ModelListAPI
from catalog_pipeline.providers.spec import AuthStyle, ProviderSpec

ItemParser = Callable[[str | None, Any], "list[SourceEntry]"]
"""Parses one top-level item (its key in a map-shaped file, and its value) into entries."""


class SourceEntry(BaseModel):
    """One priced entry of a source, before matching: the source's provider name and id."""

    model_config = ConfigDict(frozen=True)

    source_provider: str
    source_id: str
    key: str
    prices: Prices


class _NoListAPI(ModelListAPI):
    """The HTTP client needs a spec; a reference file is not a model list (never parsed so)."""

    dialect = "reference"

    def parse_item(self, spec: ProviderSpec, item: dict[str, Any]) -> ProviderModel:
        raise NotImplementedError("reference files are read by their ReferenceSource")


class ReferenceSource(BaseModel):
    """One public price file: its URL, its shape and the parser of its items.

    ``items_key`` / ``map_items`` say where the items are (see
    :class:`~catalog_pipeline.providers.wire.PageReader`): a map keyed by model (LiteLLM),
    a map keyed by provider (models.dev) or an array of providers (genai-prices).
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    base_url: str
    path: str
    docs_url: str
    price_unit: str
    items_key: str | None = None
    map_items: bool = False
    parse_item: ItemParser

    @property
    def url(self) -> str:
        return self.base_url + self.path

    @property
    def spec(self) -> ProviderSpec:
        """The source as the HTTP client sees it: a public file, no key."""
        return ProviderSpec(
            slug=self.slug,
            name=self.name,
            base_url=self.base_url,
            list_path=self.path,
            auth=AuthStyle.NONE,
            key_required=False,
            docs_url=self.docs_url,
            parser=_NoListAPI(),
            price_unit=self.price_unit,
            price_source="none",
        )

    def observation(
        self, entry: SourceEntry, fetched_at: dt.datetime
    ) -> ReferenceObservation | None:
        """The entry matched to a roster provider's exact id, or None (not in the roster)."""
        matched = match_reference(self.slug, entry.source_provider, entry.source_id)
        if matched is None or entry.prices.is_unpriced():
            return None
        return ReferenceObservation(
            source=self.slug,
            provider=matched.provider,
            provider_model_id=matched.provider_model_id,
            source_key=entry.key,
            prices=entry.prices,
            fetched_at=fetched_at,
        )
