"""The bill of one request: literal examples, then properties over generated prices and usage."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog_pipeline.domain.answers import OfferView, Resolution
from catalog_pipeline.domain.cost import TOKEN_LINES, UNIT_LINES, Usage, request_cost
from catalog_pipeline.domain.rows import TOKEN_PRICE_FIELDS, Prices, PriceTier
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.read_api import CostAnswer

GEMINI_25_PRO = Prices(
    prompt=per_million("1.25"),
    completion=per_million("10"),
    cache_read=per_million("0.31"),
    tiers=(
        PriceTier(
            above_prompt_tokens=200_000,
            prompt=per_million("2.50"),
            completion=per_million("15"),
            cache_read=per_million("0.625"),
        ),
    ),
)


def test_a_long_prompt_bills_every_token_at_the_tier_price() -> None:
    short = request_cost(GEMINI_25_PRO, Usage(input_tokens=200_000, output_tokens=1_000))
    assert short.tier_above_prompt_tokens is None
    assert short.total_usd == Decimal("0.26")
    long = request_cost(GEMINI_25_PRO, Usage(input_tokens=300_000, output_tokens=1_000))
    assert long.tier_above_prompt_tokens == 200_000
    assert [(line.item, line.usd) for line in long.lines] == [
        ("input_tokens", Decimal("0.75")),
        ("output_tokens", Decimal("0.015")),
    ]
    assert long.total_usd == Decimal("0.765")
    assert [str(line.usd) for line in long.lines] == ["0.75", "0.015"]
    assert str(long.total_usd) == "0.765", "a bill in its normal form, not 0.7650000"


def test_the_tier_is_chosen_on_the_whole_prompt_cache_included() -> None:
    usage = Usage(input_tokens=150_000, cache_read_tokens=60_000, output_tokens=10)
    bill = request_cost(GEMINI_25_PRO, usage)
    assert bill.tier_above_prompt_tokens == 200_000
    assert {line.item: line.unit_price for line in bill.lines} == {
        "input_tokens": Decimal("0.0000025"),
        "cache_read_tokens": Decimal("0.000000625"),
        "output_tokens": Decimal("0.000015"),
    }


def test_an_unknown_price_is_named_never_billed_as_zero() -> None:
    audio = Prices(prompt=per_million("2.5"), completion=per_million("10"))
    bill = request_cost(audio, Usage(input_tokens=10, audio_input_tokens=1_000))
    assert bill.total_usd is None
    assert bill.unknown == ("audio_input_tokens (no known audio_input price)",)
    tier_gap = request_cost(GEMINI_25_PRO, Usage(input_tokens=250_000, cache_write_tokens=5))
    assert tier_gap.unknown == (
        "cache_write_tokens (no known cache_write price above 200000 prompt tokens)",
    )


def test_reasoning_without_its_own_price_is_billed_as_output_and_says_so() -> None:
    bill = request_cost(GEMINI_25_PRO, Usage(reasoning_tokens=2_000))
    (line,) = bill.lines
    assert line.unit_price == Decimal("0.00001") and line.usd == Decimal("0.02")
    assert line.price == "completion (no separate reasoning price: billed as output)"


def test_per_unit_prices_are_never_tiered_or_divided() -> None:
    image = Prices(prompt=per_million("1"), per_image=Decimal("0.04"), per_request=Decimal("0.01"))
    bill = request_cost(image, Usage(input_tokens=300_000, images=3, requests=1))
    assert {line.item: line.usd for line in bill.lines} == {
        "input_tokens": Decimal("0.3"),
        "images": Decimal("0.12"),
        "requests": Decimal("0.01"),
    }


prices_per_million = st.decimals(min_value=0, max_value=100, places=3)
maybe_price = st.none() | prices_per_million.map(per_million)
quantities = st.integers(min_value=0, max_value=2_000_000)


@st.composite
def priced_offers(draw: st.DrawFn) -> Prices:
    """Prices with an optional tier whose known prices are at least the base prices."""
    base = {name: draw(maybe_price) for name in TOKEN_PRICE_FIELDS}
    unit = {
        name: draw(st.none() | st.decimals(min_value=0, max_value=1, places=4))
        for name in ("per_image", "per_request", "per_web_search")
    }
    tiers = ()
    if draw(st.booleans()):
        extra = {
            name: (None if value is None else value * draw(st.sampled_from([1, 2, 3])))
            for name, value in base.items()
        }
        if any(value is not None for value in extra.values()):
            threshold = draw(st.integers(min_value=1, max_value=1_000_000))
            tiers = (PriceTier(above_prompt_tokens=threshold, **extra),)
    return Prices(**base, **unit, tiers=tiers)


usages = st.builds(
    Usage,
    input_tokens=quantities,
    output_tokens=quantities,
    cache_read_tokens=quantities,
    cache_write_tokens=quantities,
    reasoning_tokens=quantities,
    audio_input_tokens=quantities,
    audio_output_tokens=quantities,
    images=st.integers(min_value=0, max_value=10),
    requests=st.integers(min_value=0, max_value=3),
    web_searches=st.integers(min_value=0, max_value=3),
)


@settings(max_examples=300, deadline=None)
@given(priced_offers(), usages)
def test_a_total_is_the_sum_of_its_lines_and_no_line_is_unpriced(
    prices: Prices, usage: Usage
) -> None:
    bill = request_cost(prices, usage)
    assert all(line.unit_price is not None for line in bill.lines)
    assert all(line.usd == line.quantity * line.unit_price for line in bill.lines)
    if bill.unknown:
        assert bill.total_usd is None
    else:
        assert bill.total_usd == sum((line.usd for line in bill.lines), Decimal(0))
    billed = {line.item for line in bill.lines} | {name.split(" ")[0] for name in bill.unknown}
    used = {name for name, value in usage.model_dump().items() if value}
    assert billed == used, "every quantity used is either billed or named as unknown"


FIELDS = [name for name in Usage.model_fields if name != "seconds"]


@settings(max_examples=300, deadline=None)
@given(
    priced_offers(), usages, st.sampled_from(FIELDS), st.integers(min_value=1, max_value=500_000)
)
def test_raising_any_quantity_never_lowers_the_total(
    prices: Prices, usage: Usage, field: str, more: int
) -> None:
    before = request_cost(prices, usage)
    after = request_cost(prices, usage.model_copy(update={field: getattr(usage, field) + more}))
    if before.total_usd is not None and after.total_usd is not None:
        assert after.total_usd >= before.total_usd
    if before.total_usd is None:
        assert after.total_usd is None, "more of a quantity cannot make an unknown price known"


@settings(max_examples=200, deadline=None)
@given(priced_offers(), usages)
def test_crossing_the_threshold_switches_every_token_line_to_the_tier(
    prices: Prices, usage: Usage
) -> None:
    if not prices.tiers:
        return
    tier = prices.tiers[0]
    above = (
        usage.model_copy(
            update={
                "input_tokens": tier.above_prompt_tokens
                + 1
                - usage.prompt_tokens
                + usage.input_tokens
            }
        )
        if usage.prompt_tokens <= tier.above_prompt_tokens
        else usage
    )
    bill = request_cost(prices, above)
    assert bill.tier_above_prompt_tokens == tier.above_prompt_tokens
    for line in bill.lines:
        if line.price.startswith(("per_",)):
            continue
        field = line.price.split(" ")[0]
        assert line.unit_price == getattr(tier, field)


def _answer(prices: Prices, usage: Usage) -> CostAnswer:
    offer = OfferView(
        provider="acme",
        provider_model_id="m",
        canonical_id="acme/m",
        display_name="M",
        model_type="chat",
        status="active",
        context_length=None,
        max_output_tokens=None,
        prices=prices,
        price_source="provider_api",
    )
    status = "unpriced" if prices.is_unpriced() else "priced"
    resolution = Resolution(requested="acme/m", status=status, canonical_id="acme/m", offer=offer)
    return CostAnswer(resolution, usage, request_cost(prices, usage), catalog_version=1)


@settings(max_examples=300, deadline=None)
@given(priced_offers(), usages)
def test_a_usage_that_needs_an_unknown_price_exits_3_and_names_it(
    prices: Prices, usage: Usage
) -> None:
    """What ``catalog-pipeline cost`` answers: exit 3 exactly when a used quantity's price
    (in the tier the prompt falls in) is unknown, every such quantity named, no total."""
    answer = _answer(prices, usage)
    tier = prices.tier_for(usage.prompt_tokens)
    token_prices = tier if tier is not None else prices
    needed = set()
    for item, field in TOKEN_LINES:
        if getattr(usage, item) and getattr(token_prices, field) is None:
            if field == "reasoning" and token_prices.completion is not None:
                continue
            needed.add(item)
    needed |= {
        item for item, f in UNIT_LINES if getattr(usage, item) and getattr(prices, f) is None
    }
    assert {name.split(" ")[0] for name in answer.unknown} == needed
    assert answer.exit_code == (3 if needed else 0)
    json_answer = answer.as_json()
    assert (json_answer["total_usd"] is None) == bool(needed)
    assert all(line["unit_price"] is not None for line in json_answer["lines"])
    if not needed:
        total = sum((Decimal(line["usd"]) for line in json_answer["lines"]), Decimal(0))
        assert Decimal(json_answer["total_usd"]) == total
