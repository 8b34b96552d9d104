"""Typed rows that cross every boundary after parsing: one provider's offer of one model.

``ProviderModel`` is what a provider parser produces (prices already in Decimal USD per
token, converted by the parser through :mod:`catalog_pipeline.domain.units`);
``Offer`` adds the identity fields that normalization computes and is what the store writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from operator import attrgetter
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from catalog_pipeline.domain.limits import (
    MAX_CAPABILITIES_LENGTH,
    MAX_ID_LENGTH,
    MAX_INTEGER,
    MAX_MODALITIES_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PRICE_INTEGER_DIGITS,
    MAX_PRICE_SCALE,
    MAX_PRICE_SOURCE_LENGTH,
    MAX_PUBLISHER_LENGTH,
)
from catalog_pipeline.domain.units import decimal_str


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


TOKEN_PRICE_FIELDS = (
    "prompt",
    "completion",
    "cache_read",
    "cache_write",
    "reasoning",
    "audio_input",
    "audio_output",
)
"""Prices in USD per single token. ``prompt`` is text (and image) input that is neither read
from nor written to a cache and is not audio; ``completion`` is text output that is not
reasoning and not audio."""

UNIT_PRICE_FIELDS = ("per_image", "per_input_image", "per_request", "per_web_search", "per_second")
"""Prices per unit that is not a token; never divided by a token factor."""

PRICE_FIELDS = TOKEN_PRICE_FIELDS + UNIT_PRICE_FIELDS

OFFER_COLUMNS = (
    "canonical_id",
    "publisher",
    "display_name",
    "model_type",
    "input_modalities",
    "output_modalities",
    "capabilities",
    "context_length",
    "max_output_tokens",
    *PRICE_FIELDS,
    "price_tiers",
    "price_source",
    "deprecation_date",
)
"""The models-table columns an offer fills, in ``Offer.column_values`` order."""

PRICE_COLUMN_NAMES = (*PRICE_FIELDS, "price_tiers")
"""The columns that hold an offer's prices: what price history records and a repricing is."""

PRICE_COLUMNS = slice(
    OFFER_COLUMNS.index(PRICE_COLUMN_NAMES[0]), OFFER_COLUMNS.index(PRICE_COLUMN_NAMES[-1]) + 1
)
"""Where the prices sit in ``Offer.column_values``."""

_PRICES = attrgetter(*PRICE_FIELDS)


def _finite_non_negative(value: Decimal | None) -> Decimal | None:
    """A price the store can hold exactly: finite, not negative, and inside NUMERIC's range
    (``1e-20000`` has more digits after the point than PostgreSQL keeps)."""
    if value is None:
        return value
    if not value.is_finite() or value < 0:
        raise ValueError(f"price {value} must be finite and non-negative")
    if value and (
        -value.as_tuple().exponent > MAX_PRICE_SCALE  # type: ignore[operator]
        or value.adjusted() + 1 > MAX_PRICE_INTEGER_DIGITS
    ):
        raise ValueError(
            f"price {value:.3e} is outside the stored range ({MAX_PRICE_SCALE} digits after "
            f"the point, {MAX_PRICE_INTEGER_DIGITS} before)"
        )
    return value


def _storable_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text holds a NUL character, which no text column can store")
    return value


class PriceTier(BaseModel):
    """Token prices that replace the base prices for a whole request whose prompt exceeds
    ``above_prompt_tokens`` (Google's and Anthropic's long-context rule: once the prompt is
    over the threshold, every token of the request is billed at the tier's price).

    A field left ``None`` is unknown *in this tier*: it never falls back to the base price,
    which would bill a long request at the short-request rate.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    above_prompt_tokens: int = Field(gt=0)
    prompt: Decimal | None = None
    completion: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    reasoning: Decimal | None = None
    audio_input: Decimal | None = None
    audio_output: Decimal | None = None

    _prices_valid = field_validator(*TOKEN_PRICE_FIELDS)(_finite_non_negative)

    def is_unpriced(self) -> bool:
        return all(getattr(self, name) is None for name in TOKEN_PRICE_FIELDS)


class Prices(BaseModel):
    """All prices of one offer in USD. ``None`` means unknown, never free; 0 means free.

    Token prices are per single token; ``per_*`` prices are per unit that is not a token
    and are never divided by a token factor. ``tiers`` are long-context price sets, by
    rising threshold (see :class:`PriceTier`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    prompt: Decimal | None = None
    completion: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    reasoning: Decimal | None = None
    audio_input: Decimal | None = None
    audio_output: Decimal | None = None
    per_image: Decimal | None = None
    per_input_image: Decimal | None = None
    per_request: Decimal | None = None
    per_web_search: Decimal | None = None
    per_second: Decimal | None = None
    tiers: tuple[PriceTier, ...] = ()

    _prices_valid = field_validator(*PRICE_FIELDS)(_finite_non_negative)

    @field_validator("tiers")
    @classmethod
    def _rising_thresholds(cls, tiers: tuple[PriceTier, ...]) -> tuple[PriceTier, ...]:
        thresholds = [tier.above_prompt_tokens for tier in tiers]
        if thresholds != sorted(set(thresholds)):
            raise ValueError(f"tier thresholds {thresholds} must rise strictly")
        if any(tier.is_unpriced() for tier in tiers):
            raise ValueError("a tier without any price says nothing; leave it out")
        return tiers

    def is_unpriced(self) -> bool:
        return all(getattr(self, name) is None for name in PRICE_FIELDS) and not self.tiers

    def as_dict(self) -> dict[str, Decimal | None]:
        return {name: getattr(self, name) for name in PRICE_FIELDS}

    def tier_for(self, prompt_tokens: int) -> PriceTier | None:
        """The tier a request with this many prompt tokens is billed at, or None for base."""
        chosen = None
        for tier in self.tiers:
            if prompt_tokens > tier.above_prompt_tokens:
                chosen = tier
        return chosen


def tiers_text(tiers: Sequence[PriceTier]) -> str | None:
    """Tiers as the canonical JSON text the store keeps (decimal strings, known fields only)."""
    if not tiers:
        return None
    return json.dumps(
        [
            {
                "above_prompt_tokens": tier.above_prompt_tokens,
                **{
                    name: decimal_str(value)
                    for name in TOKEN_PRICE_FIELDS
                    if (value := getattr(tier, name)) is not None
                },
            }
            for tier in tiers
        ],
        separators=(",", ":"),
    )


def tiers_from_text(text: str | None) -> tuple[PriceTier, ...]:
    """The tiers of a stored ``price_tiers`` value (see :func:`tiers_text`)."""
    if not text:
        return ()
    return tuple(PriceTier.model_validate(entry) for entry in json.loads(text))


class ProviderModel(BaseModel):
    """One model as one provider lists it, typed and in canonical units.

    Every field fits its models-table column (:mod:`catalog_pipeline.domain.limits`): an
    item that would overflow one fails here and is counted as rejected.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider_model_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH)
    name: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    publisher_hint: str | None = Field(default=None, max_length=200)
    model_type: ModelType = ModelType.CHAT
    input_modalities: tuple[str, ...] = ("text",)
    output_modalities: tuple[str, ...] = ("text",)
    context_length: int | None = Field(default=None, ge=0, le=MAX_INTEGER)
    max_output_tokens: int | None = Field(default=None, ge=0, le=MAX_INTEGER)
    prices: Prices = Prices()
    price_source: str = Field(default="provider_api", max_length=MAX_PRICE_SOURCE_LENGTH)
    capabilities: tuple[str, ...] = ()
    deprecation_date: dt.date | None = None
    created_at: dt.datetime | None = None
    zero_prices_unknown: str | None = None
    """Why the provider's ``0`` prices were read as unknown, not free (see
    :mod:`catalog_pipeline.domain.zero_prices`); a WARN check lists these offers. Not stored:
    the unknown prices are."""

    @field_validator("provider_model_id")
    @classmethod
    def _printable_id(cls, value: str) -> str:
        if value != value.strip() or any(ord(ch) < 32 for ch in value):
            raise ValueError("model id has surrounding whitespace or control characters")
        return value

    @field_validator("name")
    @classmethod
    def _clip_name(cls, value: str | None) -> str | None:
        return _storable_text(value).strip() or None if value is not None else None

    @field_validator("publisher_hint", "price_source")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        return _storable_text(value) if value is not None else None

    @field_validator("input_modalities", "output_modalities", "capabilities")
    @classmethod
    def _joined_fits(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        limit = (
            MAX_CAPABILITIES_LENGTH if info.field_name == "capabilities" else MAX_MODALITIES_LENGTH
        )
        joined = _storable_text(",".join(value))
        if len(joined) > limit:
            raise ValueError(f"{len(joined)} characters once joined, more than {limit}")
        return value


class Offer(ProviderModel):
    """A normalized offer: a provider's model with its canonical identity and display name."""

    provider: str
    canonical_id: str = Field(max_length=MAX_ID_LENGTH)
    publisher: str = Field(max_length=MAX_PUBLISHER_LENGTH)
    display_name: str = Field(max_length=MAX_NAME_LENGTH)

    @cached_property
    def column_values(self) -> tuple[Any, ...]:
        """The models-table values in ``OFFER_COLUMNS`` order (identity and timestamps
        excluded): the store writes exactly these and ``content_hash`` digests them.

        Both are kept on the frozen offer and computed by normalization, so a sync whose
        offers did not change only compares digests with the stored ones, and a changed
        offer's row is built from values already at hand.
        """
        return (
            self.canonical_id,
            self.publisher,
            self.display_name,
            str(self.model_type),
            ",".join(self.input_modalities),
            ",".join(self.output_modalities),
            ",".join(self.capabilities),
            self.context_length,
            self.max_output_tokens,
            *_PRICES(self.prices),
            tiers_text(self.prices.tiers),
            self.price_source,
            self.deprecation_date,
        )

    @cached_property
    def content_hash(self) -> str:
        """Digest of ``column_values`` (see ``column_values_hash``)."""
        return column_values_hash(self.column_values)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; with ``update`` the cached values and hash are dropped, not carried stale."""
        copied = super().model_copy(update=update, deep=deep)
        if update:
            for name in _DERIVED:
                copied.__dict__.pop(name, None)
        return copied


_DERIVED = ("column_values", "content_hash")
"""The ``Offer`` attributes computed from its fields and cached on it."""


def column_values_hash(values: Sequence[Any]) -> str:
    """A digest that changes when any of an offer's column values does (fits String(64)).

    ``repr`` keeps field boundaries unambiguous whatever the strings hold, at a fraction of
    the cost of a sorted JSON object; prices are normalized first so 0.50 and 0.5 hash
    alike, as they compare alike.
    """
    prices = [
        price.normalize() if isinstance(price, Decimal) else price
        for price in values[PRICE_COLUMNS]
    ]
    text = repr((values[: PRICE_COLUMNS.start], prices, values[PRICE_COLUMNS.stop :]))
    return hashlib.blake2b(text.encode(), digest_size=30).hexdigest()


class RejectedRow(BaseModel):
    """A wire item that failed validation: counted and reported, never silently dropped."""

    model_config = ConfigDict(frozen=True)

    index: int
    provider_model_id: str | None
    error: str
