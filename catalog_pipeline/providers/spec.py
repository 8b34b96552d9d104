"""A provider as one object: where its model list lives, how to read it, where prices come from.

Each provider is one module in ``providers/roster/`` exposing ``PROVIDER``, a
:class:`ProviderSpec`; the registry is the list of them. The spec carries the endpoint and
auth settings, the dialect object that pages and parses the list (``parser``), the wire
price unit in words, and where the prices come from, with the curated price rows side by
side when the list API has none.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from catalog_pipeline.domain.rows import Prices, ProviderModel
from catalog_pipeline.providers.dialect import ModelListAPI, PageRequest

PriceSource = Literal["provider_api", "curated", "none"]


class AuthStyle(StrEnum):
    NONE = "none"
    BEARER = "bearer"
    HEADER = "header"


class CuratedPrice(BaseModel):
    """A published price for one exact model id, for a provider whose list API has none.

    Keyed by the exact ``provider_model_id``: a dated snapshot can be priced differently
    from its alias (``gpt-4o-2024-05-13`` was), so nothing is inherited by similarity.
    ``prices`` are written through :mod:`catalog_pipeline.domain.units`, named for the unit
    the source publishes; ``note`` records how the price was cross-checked.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider_model_id: str = Field(min_length=1)
    prices: Prices
    source_url: str = Field(pattern=r"^https://")
    checked_on: dt.date
    note: str

    @property
    def price_source(self) -> str:
        return f"curated:{self.source_url} (checked {self.checked_on.isoformat()})"


class ProviderSpec(BaseModel):
    """One provider: endpoint, auth, parser, price unit and price source.

    ``api_key_env`` lists accepted variable names in order of preference after the one
    derived from the slug (``<SLUG>_API_KEY``): names the provider's own docs use.
    ``price_unit`` documents the wire unit; the conversion itself is in the parser (or the
    field map) through the units function named for that unit. ``price_source`` says where
    prices come from: ``provider_api`` (the list carries them), ``curated`` (rows here, each
    with a source; the list may price some models too) or ``none``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    base_url: str
    list_path: str
    auth: AuthStyle = AuthStyle.BEARER
    auth_header: str = "Authorization"
    auth_scheme: str = "Bearer"
    """Prefix of the header value for ``AuthStyle.BEARER`` (Clarifai and fal use ``Key``)."""
    api_key_env: tuple[str, ...] = ()
    key_required: bool = True
    extra_headers: dict[str, str] = Field(default_factory=dict)
    docs_url: str
    enabled: bool = True
    parser: ModelListAPI
    price_unit: str
    price_source: PriceSource = "provider_api"
    curated_prices: tuple[CuratedPrice, ...] = ()

    _curated_by_id: dict[str, CuratedPrice] = PrivateAttr(default_factory=dict)

    @field_validator("base_url")
    @classmethod
    def _https_without_slash(cls, value: str) -> str:
        if not value.startswith("https://") or value.endswith("/"):
            raise ValueError("base_url must be https:// without a trailing slash")
        return value

    @model_validator(mode="after")
    def _curated_rows_match_source(self) -> ProviderSpec:
        if self.curated_prices and self.price_source != "curated":
            raise ValueError(f"{self.slug}: curated price rows need price_source='curated'")
        for entry in self.curated_prices:
            if entry.provider_model_id in self._curated_by_id:
                raise ValueError(
                    f"{self.slug}: duplicate curated price for {entry.provider_model_id!r}"
                )
            self._curated_by_id[entry.provider_model_id] = entry
        return self

    @property
    def list_url(self) -> str:
        return self.base_url + self.list_path

    @property
    def default_key_env(self) -> str:
        return self.slug.upper().replace("-", "_") + "_API_KEY"

    @property
    def key_env_names(self) -> tuple[str, ...]:
        names = (self.default_key_env, *self.api_key_env)
        return tuple(dict.fromkeys(names))

    @property
    def dialect(self) -> str:
        """The parser's dialect name (the providers table's ``api_family`` column)."""
        return self.parser.dialect

    def curated_price(self, provider_model_id: str) -> CuratedPrice | None:
        """The curated row for this exact model id, or None."""
        return self._curated_by_id.get(provider_model_id)

    # The dialect, bound to this provider: what the fetch loop calls.

    @property
    def items_key(self) -> str | None:
        return self.parser.items_key

    @property
    def paginates(self) -> bool:
        return self.parser.paginates

    def first_request(self) -> PageRequest:
        return self.parser.first_request(self)

    def next_request(
        self, envelope: dict[str, Any], current: PageRequest, items_on_page: int
    ) -> PageRequest | None:
        return self.parser.next_request(self, envelope, current, items_on_page)

    def parse_item(self, item: dict[str, Any]) -> ProviderModel:
        return self.parser.parse_item(self, item)

    def local_body(self) -> bytes | None:
        return self.parser.local_body(self)

    def error_message(self, envelope: dict[str, Any], items_found: bool) -> str | None:
        return self.parser.error_message(envelope, items_found)
