"""Typed rows that cross every boundary after parsing: one provider's offer of one model.

``ProviderModel`` is what a provider parser produces (prices already in Decimal USD per
token, converted by the parser through :mod:`catalog_pipeline.catalog.units`);
``Offer`` adds the identity fields that normalization computes and is what the store writes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_ID_LENGTH = 512
MAX_NAME_LENGTH = 300


class ModelType(StrEnum):
    CHAT = "chat"
    COMPLETION = "completion"
    EMBEDDING = "embedding"
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    TRANSCRIPTION = "transcription"
    MODERATION = "moderation"
    RERANK = "rerank"
    OTHER = "other"


TOKEN_PRICE_FIELDS = ("prompt", "completion", "cache_read", "cache_write", "reasoning")
"""Prices in USD per single token."""

UNIT_PRICE_FIELDS = ("per_image", "per_input_image", "per_request", "per_web_search", "per_second")
"""Prices per unit that is not a token; never divided by a token factor."""

PRICE_FIELDS = TOKEN_PRICE_FIELDS + UNIT_PRICE_FIELDS


class Prices(BaseModel):
    """All prices of one offer in USD. ``None`` means unknown, never free; 0 means free."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    prompt: Decimal | None = None
    completion: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    reasoning: Decimal | None = None
    per_image: Decimal | None = None
    per_input_image: Decimal | None = None
    per_request: Decimal | None = None
    per_web_search: Decimal | None = None
    per_second: Decimal | None = None

    @field_validator("*")
    @classmethod
    def _finite_non_negative(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and (not value.is_finite() or value < 0):
            raise ValueError(f"price {value} must be finite and non-negative")
        return value

    def is_unpriced(self) -> bool:
        return all(getattr(self, name) is None for name in PRICE_FIELDS)

    def as_dict(self) -> dict[str, Decimal | None]:
        return {name: getattr(self, name) for name in PRICE_FIELDS}


class ProviderModel(BaseModel):
    """One model as one provider lists it, typed and in canonical units."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider_model_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH)
    name: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    publisher_hint: str | None = Field(default=None, max_length=200)
    model_type: ModelType = ModelType.CHAT
    input_modalities: tuple[str, ...] = ("text",)
    output_modalities: tuple[str, ...] = ("text",)
    context_length: int | None = Field(default=None, ge=0)
    max_output_tokens: int | None = Field(default=None, ge=0)
    prices: Prices = Prices()
    price_source: str = "provider_api"
    capabilities: tuple[str, ...] = ()
    deprecation_date: dt.date | None = None
    created_at: dt.datetime | None = None

    @field_validator("provider_model_id")
    @classmethod
    def _printable_id(cls, value: str) -> str:
        if value != value.strip() or any(ord(ch) < 32 for ch in value):
            raise ValueError("model id has surrounding whitespace or control characters")
        return value

    @field_validator("name")
    @classmethod
    def _clip_name(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class Offer(ProviderModel):
    """A normalized offer: a provider's model with its canonical identity and display name."""

    provider: str
    canonical_id: str
    publisher: str
    display_name: str


class RejectedRow(BaseModel):
    """A wire item that failed validation: counted and reported, never silently dropped."""

    model_config = ConfigDict(frozen=True)

    index: int
    provider_model_id: str | None
    error: str
