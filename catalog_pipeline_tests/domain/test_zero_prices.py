"""When a listed 0 cannot mean free: per-unit outputs and prices named in descriptions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import Prices, PriceTier
from catalog_pipeline.domain.zero_prices import zero_price_doubt, zeros_unknown


@pytest.mark.parametrize(
    ("outputs", "description", "doubt"),
    [
        (("text", "audio"), "", "its output is audio"),
        (("video",), None, "its output is video"),
        (("text",), "Songs are $0.08 per song.", "its description says '$0.08 per song'"),
        (
            ("text",),
            "$0.04 per generated image",
            "its description says '$0.04 per generated image'",
        ),
        (
            ("text",),
            "Billed at $0.10/second of video",
            "its description says '$0.10/second of video'",
        ),
        (("text",), "Input is priced at $0.60 per million tokens", None),
        (("text", "image"), "A free model for testing.", None),
    ],
)
def test_zero_price_doubt(outputs: tuple[str, ...], description: str | None, doubt: str | None):
    assert zero_price_doubt(outputs, description) == doubt


def test_zeros_become_unknown_and_known_prices_stay() -> None:
    prices = Prices(
        prompt=Decimal(0),
        completion=Decimal("0.00001"),
        per_request=Decimal(0),
        tiers=(PriceTier(above_prompt_tokens=10, prompt=Decimal(0), completion=Decimal(1)),),
    )
    unknown, zeros = zeros_unknown(prices)
    assert zeros == ("prompt", "per_request")
    assert (unknown.prompt, unknown.per_request) == (None, None)
    assert unknown.completion == Decimal("0.00001")
    assert unknown.tiers == (PriceTier(above_prompt_tokens=10, completion=Decimal(1)),)
    assert zeros_unknown(Prices(prompt=Decimal(1))) == (Prices(prompt=Decimal(1)), ())
