"""Units: every conversion is exact Decimal arithmetic, named for its unit, never float."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog_pipeline.domain import units

prices = st.decimals(min_value=0, max_value=10_000, places=6, allow_nan=False)


def test_named_conversions_to_usd_per_token() -> None:
    assert units.per_million("3") == Decimal("0.000003")
    assert units.per_million(Decimal("0.88")) == Decimal("0.00000088")
    assert units.per_thousand("0.03") == Decimal("0.00003")
    assert units.per_token("0.000015") == Decimal("0.000015")
    assert units.cents_per_token("0.0003") == Decimal("0.000003")
    assert units.ten_thousandths_per_million(630) == Decimal("0.000000063")


def test_float_noise_is_repaired_but_real_precision_kept() -> None:
    assert units.per_million(Decimal("2.5999999999999996")) == Decimal("0.0000026")
    assert units.per_million(Decimal("0.18000000000000002")) == Decimal("0.00000018")
    assert units.per_token("0.000000123456789") == Decimal("0.000000123456789")


@pytest.mark.parametrize("bad", [1.5, True, "NaN", "Infinity", "-1", "-0.5", "abc", "", None])
def test_refuses_float_nan_infinity_negative_and_garbage(bad: object) -> None:
    with pytest.raises(units.PriceUnitError):
        units.per_million(bad)  # type: ignore[arg-type]


@given(prices)
def test_per_million_round_trips(value: Decimal) -> None:
    assert units.to_per_million(units.per_million(value)) == value.normalize()


@given(prices)
def test_cents_and_thousands_agree_with_per_million(value: Decimal) -> None:
    as_token = units.per_million(value)
    assert units.per_thousand(value / 1000) == as_token
    assert units.cents_per_token(as_token * 100) == as_token


@given(prices)
def test_decimal_str_is_plain_and_parses_back(value: Decimal) -> None:
    text = units.decimal_str(units.per_million(value))
    assert text is not None and "E" not in text and "e" not in text
    assert Decimal(text) == units.per_million(value)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (1.5, "price 1.5 is a float; expected str/int/Decimal"),
        (True, "price True is a bool; expected str/int/Decimal"),
        ("abc", "price 'abc' is not a number"),
        ("NaN", "price 'NaN' is not finite"),
        ("-1", "price '-1' is negative"),
        (None, "price None has unsupported type NoneType"),
        ([1], "price [1] has unsupported type list"),
    ],
)
def test_a_refused_price_says_why(bad: object, message: str) -> None:
    """The message reaches the provider's rejected rows: it names the value and the reason."""
    with pytest.raises(units.PriceUnitError) as refused:
        units.per_token(bad)  # type: ignore[arg-type]
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("wire", "kept"),
    [
        ("0.123456789012345", "0.123456789012345"),  # 15 significant digits: kept as is
        ("0.1234567890123456", "0.123456789012346"),  # 16: printed from a float, rounded
        ("1234567890123456789", "1234567890123460000"),
    ],
)
def test_fifteen_significant_digits_survive_float_noise_repair(wire: str, kept: str) -> None:
    assert units.decimal_str(units.per_token(wire)) == kept
    assert units.per_token(wire) == Decimal(kept)


@pytest.mark.parametrize(
    ("wire", "text"),
    [("1", "1"), ("10", "10"), ("100.0", "100"), ("1.500", "1.5"), ("0.00", "0"), ("0E+2", "0")],
)
def test_prices_are_stored_in_one_plain_form(wire: str, text: str) -> None:
    """Equal prices have one form (no exponent, no trailing zeros) wherever they are shown."""
    assert str(units.usd(wire)) == text
    assert str(units.per_million(Decimal(wire) * 1_000_000)) == text
