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
