"""Anannas: OpenRouter's dialect (USD per token strings) plus a flat ``capabilities`` list."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse

SLUG = "anannas"
SAMPLE = RECORDINGS / SLUG / "v1" / "models.json"

GPT4O = {
    "id": "openai/gpt-4o",
    "name": "GPT-4o",
    "provider": "openai",
    "context_length": 128000,
    "pricing": {"prompt": "0.0000025", "completion": "0.00001", "request": "0"},
    "capabilities": ["text", "tool_calling", "json_mode", "streaming", "multimodal"],
}


def test_prices_are_usd_per_token_strings() -> None:
    row = by_id(parse(SLUG, {"data": [GPT4O]}))["openai/gpt-4o"]
    assert row.prices.prompt == Decimal("0.0000025")
    assert row.prices.completion == Decimal("0.00001")
    assert row.prices.per_request == Decimal(0)
    assert row.context_length == 128_000
    assert row.publisher_hint == "openai"
    assert set(row.capabilities) == {"tools", "structured_outputs", "vision"}


def test_missing_is_unknown_and_zero_is_free() -> None:
    unknown = dict(GPT4O, id="acme/unknown", pricing={})
    free = dict(GPT4O, id="acme/free:free", pricing={"prompt": "0", "completion": "0"})
    rows = by_id(parse(SLUG, {"data": [unknown, free]}))
    assert rows["acme/unknown"].prices.is_unpriced()
    assert rows["acme/free:free"].prices.prompt == Decimal(0)


def test_output_capabilities_set_modalities() -> None:
    image = dict(GPT4O, id="google/gemini-image", capabilities=["text", "image_output"])
    row = parse(SLUG, {"data": [image]}).rows[0]
    assert row.output_modalities == ("text", "image")


def test_item_without_pricing_is_rejected() -> None:
    fetch = parse(SLUG, {"data": [GPT4O, {"id": "no/pricing"}]})
    assert len(fetch.rows) == 1
    assert fetch.rejected_count == 1


def test_error_body_with_status_200_raises() -> None:
    body = {"error": {"type": "authentication_error", "message": "Invalid API key"}}
    with pytest.raises(ProviderError, match="Invalid API key"):
        parse(SLUG, body)


def test_sample_recording_parses() -> None:
    body = SAMPLE.read_bytes()
    fetch = parse(SLUG, body)
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(json.loads(body)["data"]) == 3
