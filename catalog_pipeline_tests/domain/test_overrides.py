"""Overrides as the last pricing layer, field by field (pure functions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from catalog_pipeline.domain.overrides import (
    OverrideError,
    apply_override,
    build_override,
    parse_expiry,
    prices_from_inputs,
)
from catalog_pipeline.domain.rows import Offer, Prices, PriceTier

AT = dt.datetime(2026, 11, 28, 9, 30, 12, tzinfo=dt.UTC)


def listed_offer(**prices: Decimal) -> Offer:
    return Offer(
        provider_model_id="gemini-2.5-pro",
        provider="google",
        canonical_id="google/gemini-2.5-pro",
        publisher="Google",
        display_name="Gemini 2.5 Pro",
        prices=Prices(**prices),
        price_source="curated:https://ai.google.dev/pricing",
    )


def override(**prices: str):
    return build_override(
        provider="google",
        provider_model_id="gemini-2.5-pro",
        prices=prices_from_inputs(prices),
        reason="negotiated",
        created_by="alice",
        created_at=AT,
    )


def test_fields_set_win_and_the_rest_keep_their_source() -> None:
    base = listed_offer(prompt=Decimal("0.00000125"), completion=Decimal("0.00001"))
    result = apply_override(base, override(prompt_per_1m="1"))
    assert (result.prices.prompt, result.prices.completion) == (
        Decimal("0.000001"),
        Decimal("0.00001"),
    )
    assert result.price_source == (
        "override:negotiated by alice at 2026-11-28T09:30Z; prompt only; "
        "rest curated:https://ai.google.dev/pricing"
    )
    assert result.content_hash != base.content_hash


def test_a_full_override_says_only_override_and_drops_the_sources_tiers() -> None:
    tier = PriceTier(above_prompt_tokens=200_000, prompt=Decimal("0.0000025"))
    base = listed_offer(prompt=Decimal("0.00000125"), tiers=(tier,))
    result = apply_override(base, override(prompt_per_1m="1"))
    assert result.price_source == "override:negotiated by alice at 2026-11-28T09:30Z"
    assert result.prices.tiers == ()
    unit_only = apply_override(base, override(per_request_usd="0.01"))
    assert unit_only.prices.tiers == (tier,), "a unit price leaves the token tiers alone"


def test_an_unlisted_model_is_marked() -> None:
    result = apply_override(listed_offer(), override(prompt_per_1m="2"), listed=False)
    assert result.price_source.endswith("; unlisted")


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"prompt_per_1m": "-1"}, "is negative"),
        ({"prompt_per_1m": "Infinity"}, "is not finite"),
        ({"prompt_per_1m": "1e9"}, "outside"),
        ({"prompt_per_1m": "0.00000001"}, "outside"),
        ({"per_second_usd": "5000"}, "above 1000"),
        ({"prompt_per_1m": "1.5e-7"}, "outside"),
    ],
)
def test_implausible_prices_are_refused(inputs: dict[str, str], message: str) -> None:
    with pytest.raises(OverrideError, match=message):
        prices_from_inputs(inputs)


def test_zero_is_free_and_units_convert_once() -> None:
    assert prices_from_inputs({"prompt_per_1m": "0", "per_image_usd": "0.04"}) == {
        "prompt": Decimal(0),
        "per_image": Decimal("0.04"),
    }
    assert prices_from_inputs({"completion_per_1m": "2.50"}) == {"completion": Decimal("0.0000025")}


def test_expiry_is_utc_and_in_the_future() -> None:
    assert parse_expiry("2027-01-01") == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert parse_expiry("2027-01-01T10:00+02:00") == dt.datetime(2027, 1, 1, 8, tzinfo=dt.UTC)
    with pytest.raises(OverrideError, match="not an ISO date"):
        parse_expiry("next tuesday")
    with pytest.raises(OverrideError, match="not in the future"):
        build_override(
            provider="google",
            provider_model_id="x",
            prices={"prompt": Decimal("0.000001")},
            reason="r",
            created_by="a",
            created_at=AT,
            expires_at=AT - dt.timedelta(days=1),
        )
    with pytest.raises(OverrideError, match="one line"):
        build_override(
            provider="google",
            provider_model_id="x",
            prices={"prompt": Decimal("0.000001")},
            reason="two\nlines",
            created_by="a",
            created_at=AT,
        )
