"""Helicone model registry: nested ``data.models``, USD per 1M, author endpoint chosen."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse

SLUG = "helicone"
SAMPLE = RECORDINGS / SLUG / "v1" / "public" / "model-registry" / "models.json"

SONNET = {
    "id": "claude-4.5-sonnet",
    "name": "Anthropic: Claude Sonnet 4.5",
    "author": "anthropic",
    "contextLength": 200000,
    "maxOutput": 64000,
    "inputModalities": ["text", "image"],
    "outputModalities": ["text"],
    "supportedParameters": ["tools", "reasoning"],
    "endpoints": [
        {"provider": "bedrock", "pricing": {"prompt": 3.3, "completion": 16.5}},
        {
            "provider": "anthropic",
            "pricing": {"prompt": 3, "completion": 15, "cacheRead": 0.3, "cacheWrite": 3.75},
        },
    ],
}


def _body(*models: dict) -> dict:
    return {"data": {"models": list(models), "total": len(models)}, "error": None}


def test_prices_are_usd_per_million_from_the_authors_endpoint() -> None:
    row = by_id(parse(SLUG, _body(SONNET)))["claude-4.5-sonnet"]
    assert row.prices.prompt == Decimal("0.000003")
    assert row.prices.completion == Decimal("0.000015")
    assert row.prices.cache_read == Decimal("0.0000003")
    assert row.prices.cache_write == Decimal("0.00000375")
    assert row.context_length == 200_000
    assert row.max_output_tokens == 64_000
    assert row.publisher_hint == "anthropic"
    assert set(row.capabilities) >= {"tools", "reasoning", "vision"}


def test_first_priced_endpoint_when_the_author_has_none() -> None:
    hosted = dict(
        SONNET,
        id="llama-3.3-70b-instruct",
        author="meta-llama",
        endpoints=[
            {"provider": "chutes"},
            {"provider": "groq", "pricing": {"prompt": 0.59, "completion": 0.79}},
            {"provider": "deepinfra", "pricing": {"prompt": 0.23, "completion": 0.4}},
        ],
    )
    row = parse(SLUG, _body(hosted)).rows[0]
    assert row.prices.prompt == Decimal("0.00000059")
    assert row.prices.completion == Decimal("0.00000079")


def test_unpriced_is_unknown_and_zero_is_free() -> None:
    none = dict(SONNET, id="no-endpoints", endpoints=[])
    free = dict(
        SONNET,
        id="free-model",
        endpoints=[{"provider": "x", "pricing": {"prompt": 0, "completion": 0}}],
    )
    rows = by_id(parse(SLUG, _body(none, free)))
    assert rows["no-endpoints"].prices.is_unpriced()
    assert rows["no-endpoints"].price_source == "none"
    assert rows["free-model"].prices.prompt == Decimal(0)


def test_type_from_output_modalities_or_id() -> None:
    image = dict(SONNET, id="gpt-image-1", outputModalities=["image"], endpoints=[])
    embed = dict(SONNET, id="text-embedding-3-small", outputModalities=[], endpoints=[])
    rows = by_id(parse(SLUG, _body(image, embed)))
    assert rows["gpt-image-1"].model_type is ModelType.IMAGE
    assert rows["text-embedding-3-small"].model_type is ModelType.EMBEDDING


def test_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError, match="registry unavailable"):
        parse(SLUG, {"data": None, "error": "registry unavailable"})


def test_null_error_is_success() -> None:
    assert len(parse(SLUG, _body(SONNET)).rows) == 1


def test_sample_recording_parses() -> None:
    body = SAMPLE.read_bytes()
    fetch = parse(SLUG, body)
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(json.loads(body)["data"]["models"]) == 3


@pytest.mark.conformance
def test_conformance_sample_prices_agree_with_models_dev(real_payloads) -> None:
    """The sample's Anthropic and OpenAI prices match models.dev's ``helicone`` provider."""
    peer = json.loads((real_payloads / "peer__modelsdev_api_export.json").read_bytes())
    rows = by_id(parse(SLUG, SAMPLE.read_bytes()))
    for model_id in ("claude-4.5-sonnet", "gpt-4o"):
        cost = peer["helicone"]["models"][model_id]["cost"]
        assert rows[model_id].prices.prompt == Decimal(str(cost["input"])) / 1_000_000
        assert rows[model_id].prices.completion == Decimal(str(cost["output"])) / 1_000_000
