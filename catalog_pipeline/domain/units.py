"""The one place where provider price units become Decimal USD per single token.

Every parser converts through a function here that is named for the unit the provider
documents, so the conversion is visible at the call site (``per_million(item.input)``)
and there is no per-provider divisor with a silent default. Values never pass through
``float``: wire numbers arrive as ``str``, ``int`` or ``Decimal`` (the JSON readers are
configured to produce Decimal) and a float is refused outright.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

PriceInput = str | int | Decimal

ONE_MILLION = Decimal(1_000_000)
ONE_THOUSAND = Decimal(1_000)
ONE_HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10_000)


class PriceUnitError(ValueError):
    """A wire price that cannot be a price: not a number, NaN, infinite or negative."""


def to_decimal(value: PriceInput) -> Decimal:
    """Parse a wire number exactly; reject float, NaN, infinity and negatives."""
    if isinstance(value, (bool, float)):
        raise PriceUnitError(
            f"price {value!r} is a {type(value).__name__}; expected str/int/Decimal"
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation as exc:
            raise PriceUnitError(f"price {value!r} is not a number") from exc
    else:
        raise PriceUnitError(f"price {value!r} has unsupported type {type(value).__name__}")
    if not number.is_finite():
        raise PriceUnitError(f"price {value!r} is not finite")
    if number < 0:
        raise PriceUnitError(f"price {value!r} is negative")
    return _without_float_noise(number)


FLOAT_SIGNIFICANT_DIGITS = 15


def _without_float_noise(number: Decimal) -> Decimal:
    """Round away binary-float noise that providers serialise (``2.5999999999999996``).

    A wire number with more than 15 significant digits was printed from a float64, which
    only round-trips 15; rounding to 15 restores the price the provider meant.
    """
    digits = number.as_tuple().digits
    if len(digits) <= FLOAT_SIGNIFICANT_DIGITS:
        return number
    shift = number.adjusted() - FLOAT_SIGNIFICANT_DIGITS + 1
    return number.quantize(Decimal(1).scaleb(shift))


def _normal(value: Decimal) -> Decimal:
    """Drop trailing zeros so equal prices compare and serialise identically."""
    if value == 0:
        return Decimal(0)
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return normal.quantize(Decimal(1))
    return normal


def per_token(value: PriceInput) -> Decimal:
    """USD per token (OpenRouter, Cerebras public API, LiteLLM)."""
    return _normal(to_decimal(value))


def per_thousand(value: PriceInput) -> Decimal:
    """USD per 1,000 tokens."""
    return _normal(to_decimal(value) / ONE_THOUSAND)


def per_million(value: PriceInput) -> Decimal:
    """USD per 1,000,000 tokens (Together, DeepInfra, models.dev, genai-prices)."""
    return _normal(to_decimal(value) / ONE_MILLION)


def cents_per_token(value: PriceInput) -> Decimal:
    """US cents per token (Portkey's pricing configs)."""
    return _normal(to_decimal(value) / ONE_HUNDRED)


def ten_thousandths_per_million(value: PriceInput) -> Decimal:
    """Units of 1/10,000 USD per 1,000,000 tokens (Novita's older API: 630 = $0.063/M)."""
    return _normal(to_decimal(value) / TEN_THOUSAND / ONE_MILLION)


def usd(value: PriceInput) -> Decimal:
    """A plain USD amount for a non-token unit (per image, per request, per second)."""
    return _normal(to_decimal(value))


def to_per_million(price_per_token: Decimal) -> Decimal:
    """USD per token back to USD per million, for display and peer comparison."""
    return _normal(price_per_token * ONE_MILLION)


def usd_amount(value: Decimal) -> Decimal:
    """An amount billed (a line or a total of a request's cost) in its normal form:
    ``Decimal("0.765")``, never ``Decimal("0.7650000")`` from a product of two prices."""
    return _normal(value)


def decimal_str(value: Decimal | None) -> str | None:
    """Plain (never scientific) decimal string, the form every export and the CLI print."""
    if value is None:
        return None
    return format(_normal(value), "f")
