"""Operator price overrides: a negotiated price, a correction while a provider's data is
wrong, or a model a provider serves but does not list.

An override names a provider and an exact provider model id and sets some price fields
(the ``Prices`` names and units: USD per token, USD per unit for ``per_*``). It is the last
layer of pricing: each field it sets replaces whatever any source said, field by field;
fields it leaves unset keep the source's value. Setting any token price drops the source's
long-context tiers, which were priced against the base the override replaces.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from catalog_pipeline.domain.rows import (
    MAX_ID_LENGTH,
    PRICE_FIELDS,
    TOKEN_PRICE_FIELDS,
    ModelType,
    Offer,
    Prices,
)
from catalog_pipeline.domain.units import (
    ONE_MILLION,
    PriceUnitError,
    decimal_str,
    per_million,
    to_per_million,
    usd,
)

MAX_TOKEN_PRICE = Decimal(1000) / ONE_MILLION
"""USD per token above which an override is refused: $1,000 per 1M tokens, the ceiling of
the ``prices_sane`` band."""
MIN_TOKEN_PRICE = Decimal("0.0001") / ONE_MILLION
"""A non-zero USD per token below this ($0.0001 per 1M) is refused, as ``prices_sane`` does."""
MAX_UNIT_PRICE = Decimal(1000)
"""USD per image, request, search or second above which an override is refused."""

OVERRIDE_PREFIX = "override:"
UNLISTED = "unlisted"
"""The ``price_source`` mark of an offer that exists only because an override names it."""


class OverrideError(ValueError):
    """An override that cannot be stored as asked; ``str()`` is one line saying why."""


INPUT_NAMES: dict[str, str] = {
    **{f"{name}_per_1m": name for name in TOKEN_PRICE_FIELDS},
    **{f"{name}_usd": name for name in PRICE_FIELDS if name not in TOKEN_PRICE_FIELDS},
}
"""How an operator enters each price (CLI ``--prompt-per-1m``, job ``prompt_per_1m``):
token prices in USD per 1M tokens, unit prices in USD per unit; the name says the unit."""


def prices_from_inputs(values: dict[str, str | None]) -> dict[str, Decimal]:
    """The entered prices (``INPUT_NAMES`` keys, decimal text) as USD per token / per unit,
    converted through the units module; each checked by :func:`check_price`."""
    prices: dict[str, Decimal] = {}
    for input_name, text in values.items():
        if text is None or text == "":
            continue
        field = INPUT_NAMES[input_name]
        convert = per_million if field in TOKEN_PRICE_FIELDS else usd
        try:
            prices[field] = check_price(field, convert(text))
        except (PriceUnitError, OverrideError) as error:
            raise OverrideError(f"{input_name.replace('_', '-')} {text}: {error}") from None
    return prices


def per_input_unit(name: str, value: Decimal) -> str:
    """A stored price in the unit it is entered in (per 1M tokens, or per unit)."""
    return decimal_str(to_per_million(value) if name in TOKEN_PRICE_FIELDS else value) or "0"


def parse_expiry(text: str | None) -> dt.datetime | None:
    """``2026-12-31`` (00:00 UTC that day) or an ISO date-time (UTC unless it names a zone)."""
    if text is None or not text.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise OverrideError(
            f"expiry {text!r} is not an ISO date or date-time (e.g. 2026-12-31T18:00Z)"
        ) from None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def check_price(name: str, value: Decimal) -> Decimal:
    """``value`` (USD per token or per unit) if it is a plausible price for ``name``."""
    if not value.is_finite() or value < 0:
        raise OverrideError(f"{name}: {value} is not a finite, non-negative price")
    if name in TOKEN_PRICE_FIELDS:
        if value > MAX_TOKEN_PRICE or 0 < value < MIN_TOKEN_PRICE:
            raise OverrideError(
                f"{name}: {decimal_str(value)} USD per token is outside "
                f"{decimal_str(MIN_TOKEN_PRICE)}..{decimal_str(MAX_TOKEN_PRICE)} "
                "(0.0001..1000 per 1M tokens); is the unit right?"
            )
    elif value > MAX_UNIT_PRICE:
        raise OverrideError(f"{name}: {decimal_str(value)} USD per unit is above {MAX_UNIT_PRICE}")
    return value


def _clean_text(value: str, what: str) -> str:
    value = value.strip()
    if not value or any(ord(ch) < 32 for ch in value):
        raise OverrideError(f"{what} must be non-empty text on one line")
    return value


class PriceOverride(BaseModel):
    """One stored override (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    provider: str = Field(min_length=1, max_length=64)
    provider_model_id: str = Field(min_length=1, max_length=MAX_ID_LENGTH)
    prices: dict[str, Decimal]
    model_type: ModelType | None = None
    reason: str = Field(max_length=120)
    created_by: str = Field(max_length=64)
    created_at: dt.datetime
    expires_at: dt.datetime | None = None

    @field_validator("prices")
    @classmethod
    def _known_plausible_fields(cls, prices: dict[str, Decimal]) -> dict[str, Decimal]:
        unknown = sorted(set(prices) - set(PRICE_FIELDS))
        if unknown:
            raise OverrideError(f"unknown price field(s) {unknown}; known: {list(PRICE_FIELDS)}")
        if not prices:
            raise OverrideError("an override sets at least one price")
        return {name: check_price(name, prices[name]) for name in PRICE_FIELDS if name in prices}

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        return _clean_text(value, "the reason")

    @field_validator("created_by")
    @classmethod
    def _who(cls, value: str) -> str:
        return _clean_text(value, "who")

    @field_validator("created_at", "expires_at")
    @classmethod
    def _utc(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)

    @model_validator(mode="after")
    def _expires_after_creation(self) -> PriceOverride:
        if self.expires_at is not None and self.expires_at <= self.created_at:
            raise OverrideError(f"expiry {self.expires_at.isoformat()} is not in the future")
        return self

    def active(self, now: dt.datetime) -> bool:
        return self.expires_at is None or now < self.expires_at

    def label(self) -> str:
        """``override:<reason> by <who> at <when>``: the start of an overridden offer's
        ``price_source``."""
        return (
            f"{OVERRIDE_PREFIX}{self.reason} by {self.created_by} at "
            f"{self.created_at:%Y-%m-%dT%H:%MZ}"
        )

    def prices_text(self) -> dict[str, str]:
        """The fields set, as decimal strings (the audit's and the CLI's form)."""
        return {name: decimal_str(value) or "0" for name, value in self.prices.items()}


PRICE_SOURCE_LENGTH = 300
"""The models table's ``price_source`` width."""


def apply_override(offer: Offer, override: PriceOverride, listed: bool = True) -> Offer:
    """``offer`` with the override's fields in place of the source's, and a ``price_source``
    that says so: ``override:<reason> by <who> at <when>``, then ``; unlisted`` for a model
    the provider does not list, or ``; <fields> only; rest <source>`` when the source still
    prices fields the override leaves alone."""
    base = offer.prices
    update: dict[str, object] = dict(override.prices)
    if any(name in override.prices for name in TOKEN_PRICE_FIELDS):
        update["tiers"] = ()
    prices = Prices.model_validate({**base.model_dump(), **update})
    source = override.label()
    if not listed:
        source += f"; {UNLISTED}"
    else:
        kept = [
            name
            for name in PRICE_FIELDS
            if name not in override.prices and getattr(base, name) is not None
        ]
        if kept:
            source += f"; {','.join(override.prices)} only; rest {offer.price_source}"
    return offer.model_copy(update={"prices": prices, "price_source": source[:PRICE_SOURCE_LENGTH]})


def build_override(**fields: object) -> PriceOverride:
    """A validated override, or :class:`OverrideError` with the first problem in one line."""
    from pydantic import ValidationError

    try:
        return PriceOverride.model_validate(fields)
    except ValidationError as error:
        first = error.errors()[0]
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, OverrideError):
            raise OverrideError(str(cause)) from None
        where = ".".join(str(part) for part in first["loc"])
        raise OverrideError(f"{where}: {first['msg']}") from None
