"""OpenRouter: USD-per-token strings, -1 unknown, free variants, links.next pagination."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline_tests.providers.helpers import by_id, parse

ITEM = {
    "id": "anthropic/claude-sonnet-4.5",
    "name": "Anthropic: Claude Sonnet 4.5",
    "created": 1759161676,
    "context_length": 1000000,
    "architecture": {
        "modality": "text+image->text",
        "input_modalities": ["text", "image"],
        "output_modalities": ["text"],
    },
    "pricing": {
        "prompt": "0.000003",
        "completion": "0.000015",
        "input_cache_read": "0.0000003",
        "input_cache_write": "0.00000375",
        "web_search": "0.01",
        "image": "0.0048",
    },
    "top_provider": {"context_length": 1000000, "max_completion_tokens": 64000},
    "supported_parameters": ["tools", "reasoning"],
    "expiration_date": None,
}


def test_prices_are_usd_per_token_strings() -> None:
    row = by_id(parse("openrouter", {"data": [ITEM]}))["anthropic/claude-sonnet-4.5"]
    assert row.prices.prompt == Decimal("0.000003")
    assert row.prices.completion == Decimal("0.000015")
    assert row.prices.cache_read == Decimal("0.0000003")
    assert row.prices.cache_write == Decimal("0.00000375")
    assert row.prices.per_web_search == Decimal("0.01")
    assert row.prices.per_input_image == Decimal("0.0048")
    assert row.context_length == 1_000_000
    assert row.max_output_tokens == 64_000
    assert set(row.capabilities) >= {"tools", "reasoning", "vision"}


def test_minus_one_is_unknown_and_zero_is_free() -> None:
    auto = dict(ITEM, id="openrouter/auto", pricing={"prompt": "-1", "completion": "-1"})
    free = dict(
        ITEM,
        id="meta-llama/llama-3.3-70b-instruct:free",
        pricing={"prompt": "0", "completion": "0"},
    )
    rows = by_id(parse("openrouter", {"data": [auto, free]}))
    assert rows["openrouter/auto"].prices.prompt is None
    assert rows["openrouter/auto"].prices.is_unpriced()
    assert rows["meta-llama/llama-3.3-70b-instruct:free"].prices.prompt == Decimal(0)


def test_image_output_model_is_typed_image() -> None:
    image = dict(
        ITEM,
        id="google/gemini-2.5-flash-image",
        architecture={
            "input_modalities": ["text", "image"],
            "output_modalities": ["image", "text"],
        },
    )
    assert parse("openrouter", {"data": [image]}).rows[0].model_type is ModelType.IMAGE


def test_invalid_item_is_rejected_and_counted_not_dropped() -> None:
    bad = {"id": "broken/model", "pricing": {"prompt": "abc", "completion": "0.1"}}
    fetch = parse("openrouter", {"data": [ITEM, bad, "not an object"]})
    assert len(fetch.rows) == 1
    assert fetch.rejected_count == 2
    assert fetch.rejected[0].provider_model_id == "broken/model"


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("openrouter__modelsdev_models_json.json", 364),
        ("openrouter__roocode_nock_2025-04-24.json", 301),
        ("openrouter__roocode_nock_2025-05-23.json", 321),
        ("openrouter__llm-openrouter_cassette_2026-08-04_trimmed4.json", 4),
    ],
)
def test_conformance_real_payloads(real_payloads, name: str, count: int) -> None:
    body = (real_payloads / name).read_bytes()
    fetch = parse("openrouter", body)
    assert fetch.rejected_count == 0, fetch.rejected[:3]
    assert len(fetch.rows) == count == len(json.loads(body)["data"])


@pytest.mark.conformance
def test_conformance_published_prices(real_payloads) -> None:
    rows = by_id(
        parse("openrouter", (real_payloads / "openrouter__modelsdev_models_json.json").read_bytes())
    )
    assert rows["anthropic/claude-sonnet-4.5"].prices.prompt == Decimal("0.000003")
    assert rows["anthropic/claude-sonnet-4.5"].prices.completion == Decimal("0.000015")
    for router in ("openrouter/auto", "openrouter/bodybuilder", "openrouter/pareto-code"):
        assert rows[router].prices.is_unpriced()


GPT_AUDIO = {
    "id": "openai/gpt-audio",
    "name": "OpenAI: GPT Audio",
    "description": "The gpt-audio model is OpenAI's first generally available audio model.",
    "context_length": 128000,
    "architecture": {"input_modalities": ["text", "audio"], "output_modalities": ["text", "audio"]},
    "pricing": {"prompt": "0.0000025", "completion": "0.00001", "audio": "0.000032"},
}
GEMINI_2026 = {
    "id": "google/gemini-2.5-flash",
    "architecture": {"input_modalities": ["text", "image", "audio"], "output_modalities": ["text"]},
    "pricing": {
        "prompt": "0.0000003",
        "completion": "0.0000025",
        "image": "0.0000003",
        "audio": "0.000001",
        "internal_reasoning": "0.0000025",
    },
}
LYRIA = {
    "id": "google/lyria-3-pro-preview",
    "description": "Full-length songs are priced at $0.08 per song. Lyria 3 is Google's family "
    "of music generation models, available through the Gemini API.",
    "architecture": {"input_modalities": ["text", "image"], "output_modalities": ["text", "audio"]},
    "pricing": {"prompt": "0", "completion": "0"},
}
SONNET_4_TIERED = {
    "id": "anthropic/claude-sonnet-4",
    "pricing": {
        "prompt": "0.000003",
        "completion": "0.000015",
        "web_search": "0.01",
        "input_cache_read": "0.0000003",
        "input_cache_write": "0.00000375",
        "input_cache_write_1h": "0.000006",
        "overrides": [
            {
                "min_prompt_tokens": 200000,
                "prompt": "0.000006",
                "completion": "0.0000225",
                "input_cache_read": "0.0000006",
                "input_cache_write": "0.0000075",
                "input_cache_write_1h": "0.000012",
            }
        ],
    },
}


def test_audio_is_the_input_audio_token_price() -> None:
    row = parse("openrouter", {"data": [GPT_AUDIO]}).rows[0]
    assert row.prices.audio_input == Decimal("0.000032")
    assert row.prices.audio_output is None, "OpenRouter lists no audio output price"
    assert row.zero_prices_unknown is None


def test_an_image_price_equal_to_the_prompt_price_is_per_token_not_per_image() -> None:
    """2026: ``image`` equals ``prompt`` (image input tokens); 2025: a price per image."""
    gemini = parse("openrouter", {"data": [GEMINI_2026]}).rows[0]
    assert gemini.prices.per_input_image is None
    assert gemini.prices.prompt == Decimal("0.0000003")
    assert gemini.prices.reasoning == Decimal("0.0000025")
    old = parse("openrouter", {"data": [ITEM]}).rows[0]
    assert old.prices.per_input_image == Decimal("0.0048")


def test_a_zero_reasoning_price_beside_a_paid_completion_is_billed_as_output() -> None:
    item = dict(ITEM, pricing={**ITEM["pricing"], "internal_reasoning": "0", "request": "0"})
    row = parse("openrouter", {"data": [item]}).rows[0]
    assert row.prices.reasoning is None
    assert row.prices.per_request == Decimal(0), "a zero request fee is a real zero"
    free = dict(ITEM, pricing={"prompt": "0", "completion": "0", "internal_reasoning": "0"})
    assert parse("openrouter", {"data": [free]}).rows[0].prices.reasoning == Decimal(0)


def test_overrides_are_long_context_tiers() -> None:
    row = parse("openrouter", {"data": [SONNET_4_TIERED]}).rows[0]
    (tier,) = row.prices.tiers
    assert tier.above_prompt_tokens == 200_000
    assert (tier.prompt, tier.completion) == (Decimal("0.000006"), Decimal("0.0000225"))
    assert (tier.cache_read, tier.cache_write) == (Decimal("0.0000006"), Decimal("0.0000075"))
    assert tier.reasoning is None and tier.audio_input is None
    unknown_condition = dict(
        SONNET_4_TIERED,
        pricing={**SONNET_4_TIERED["pricing"], "overrides": [{"prompt": "0.000001"}]},
    )
    assert parse("openrouter", {"data": [unknown_condition]}).rows[0].prices.tiers == ()


def test_a_zero_for_a_model_billed_per_song_is_unknown_never_free() -> None:
    rows = by_id(parse("openrouter", {"data": [LYRIA, GPT_AUDIO]}))
    lyria = rows["google/lyria-3-pro-preview"]
    assert lyria.prices.is_unpriced()
    assert lyria.zero_prices_unknown == (
        "listed at 0 for prompt, completion, but its output is audio; "
        "its description says '$0.08 per song'"
    )
    clip_text = dict(
        LYRIA,
        id="vendor/clip-maker",
        architecture={"output_modalities": ["text"]},
        description="Clips are priced at $0.04 per 30-second clip.",
    )
    clip = parse("openrouter", {"data": [clip_text]}).rows[0]
    assert clip.prices.is_unpriced()
    assert clip.zero_prices_unknown.endswith("its description says '$0.04 per 30-second clip'")


@pytest.mark.conformance
def test_conformance_audio_image_tiers_and_honest_zeros(real_payloads) -> None:
    """What the real payloads carry: 21 audio prices and 17 per-token ``image`` values in
    2026, per-image prices in 2025, one tier in the 2026 cassette, two songs/clips at 0."""
    new = parse(
        "openrouter", (real_payloads / "openrouter__modelsdev_models_json.json").read_bytes()
    )
    rows = by_id(new)
    audio = {r.provider_model_id: r.prices.audio_input for r in new.rows if r.prices.audio_input}
    assert len(audio) == 21
    assert audio["openai/gpt-audio"] == Decimal("0.000032")
    assert audio["mistralai/voxtral-small-24b-2507"] == Decimal("0.0001")
    assert not [r for r in new.rows if r.prices.per_input_image], "2026 image is per token"
    assert {r.provider_model_id for r in new.rows if r.zero_prices_unknown} == {
        "google/lyria-3-pro-preview",
        "google/lyria-3-clip-preview",
    }
    assert rows["google/lyria-3-clip-preview"].prices.is_unpriced()
    old = by_id(
        parse(
            "openrouter", (real_payloads / "openrouter__roocode_nock_2025-05-23.json").read_bytes()
        )
    )
    assert old["openai/o3"].prices.per_input_image == Decimal("0.00765")
    assert old["anthropic/claude-sonnet-4"].prices.reasoning is None
    cassette = by_id(
        parse(
            "openrouter",
            (
                real_payloads / "openrouter__llm-openrouter_cassette_2026-08-04_trimmed4.json"
            ).read_bytes(),
        )
    )
    (tier,) = cassette["anthropic/claude-sonnet-4"].prices.tiers
    assert (tier.above_prompt_tokens, tier.prompt) == (200_000, Decimal("0.000006"))
