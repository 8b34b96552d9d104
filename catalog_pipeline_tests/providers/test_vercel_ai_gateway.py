"""Vercel AI Gateway: USD-per-token strings, typed models, tiers, errors in a 200 body."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse

SLUG = "vercel-ai-gateway"
SAMPLE = RECORDINGS / SLUG / "v1" / "models.json"

SONNET = {
    "id": "anthropic/claude-sonnet-4.5",
    "object": "model",
    "created": 1759161676,
    "released": 1759104000,
    "owned_by": "anthropic",
    "name": "Claude Sonnet 4.5",
    "context_window": 1000000,
    "max_tokens": 64000,
    "type": "language",
    "tags": ["reasoning", "tool-use", "vision", "file-input"],
    "pricing": {
        "input": "0.000003",
        "output": "0.000015",
        "input_cache_read": "0.0000003",
        "input_cache_write": "0.00000375",
        "input_tiers": [
            {"cost": "0.000003", "min": 0, "max": 200001},
            {"cost": "0.000006", "min": 200001},
        ],
    },
}


def test_prices_are_usd_per_token_strings_and_base_tier_is_kept() -> None:
    row = by_id(parse(SLUG, {"object": "list", "data": [SONNET]}))[SONNET["id"]]
    assert row.prices.prompt == Decimal("0.000003")
    assert row.prices.completion == Decimal("0.000015")
    assert row.prices.cache_read == Decimal("0.0000003")
    assert row.prices.cache_write == Decimal("0.00000375")
    assert row.model_type is ModelType.CHAT
    assert row.input_modalities == ("text", "image", "file")
    assert row.context_length == 1_000_000
    assert row.max_output_tokens == 64_000
    assert set(row.capabilities) >= {"tools", "reasoning", "vision"}
    assert row.publisher_hint == "anthropic"
    assert row.created_at == dt.datetime.fromtimestamp(1759104000, tz=dt.UTC)


def test_missing_price_is_unknown_and_zero_is_free() -> None:
    unpriced = dict(SONNET, id="acme/unpriced", pricing={})
    no_pricing = {k: v for k, v in SONNET.items() if k != "pricing"} | {"id": "acme/none"}
    free = dict(SONNET, id="acme/free", pricing={"input": "0", "output": "0"})
    rows = by_id(parse(SLUG, {"data": [unpriced, no_pricing, free]}))
    assert rows["acme/unpriced"].prices.is_unpriced()
    assert rows["acme/none"].prices.is_unpriced()
    assert rows["acme/none"].price_source == "none"
    assert rows["acme/free"].prices.prompt == Decimal(0)
    assert rows["acme/free"].prices.completion == Decimal(0)


def test_types_and_non_token_models_stay_unpriced() -> None:
    image = {
        "id": "bfl/flux-pro-1.1",
        "type": "image",
        "tags": ["image-generation"],
        "pricing": {"input": "0.04"},
    }
    embed = {
        "id": "openai/text-embedding-3-small",
        "type": "embedding",
        "pricing": {"input": "2e-8"},
    }
    rerank = {"id": "cohere/rerank-v3.5", "type": "reranking"}
    rows = by_id(parse(SLUG, {"data": [image, embed, rerank]}))
    assert rows["bfl/flux-pro-1.1"].model_type is ModelType.IMAGE
    assert rows["bfl/flux-pro-1.1"].output_modalities == ("image",)
    assert rows["bfl/flux-pro-1.1"].prices.is_unpriced()
    assert rows["openai/text-embedding-3-small"].model_type is ModelType.EMBEDDING
    assert rows["openai/text-embedding-3-small"].prices.prompt == Decimal("0.00000002")
    assert rows["openai/text-embedding-3-small"].prices.completion is None
    assert rows["cohere/rerank-v3.5"].model_type is ModelType.RERANK


def test_deprecated_at_in_milliseconds_or_seconds() -> None:
    ms = dict(SONNET, id="a/ms", deprecated_at=1767225600000)
    s = dict(SONNET, id="a/s", deprecated_at=1767225600)
    rows = by_id(parse(SLUG, {"data": [ms, s]}))
    assert rows["a/ms"].deprecation_date == dt.date(2026, 1, 1)
    assert rows["a/s"].deprecation_date == dt.date(2026, 1, 1)


def test_number_price_and_missing_type_are_rejected_not_dropped() -> None:
    number = dict(SONNET, id="a/number", pricing={"input": 0.000003})
    untyped = {k: v for k, v in SONNET.items() if k != "type"} | {"id": "a/untyped"}
    fetch = parse(SLUG, {"data": [SONNET, number, untyped]})
    assert len(fetch.rows) == 1
    assert fetch.rejected_count == 2


def test_error_body_with_status_200_raises() -> None:
    body = {"error": {"message": "Invalid API key", "type": "authentication_error"}}
    with pytest.raises(ProviderError, match="Invalid API key"):
        parse(SLUG, body)


def test_sample_recording_parses() -> None:
    fetch = parse(SLUG, SAMPLE.read_bytes())
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(json.loads(SAMPLE.read_bytes())["data"]) == 4


@pytest.mark.conformance
def test_conformance_sample_prices_agree_with_litellm(real_payloads) -> None:
    """The sample's published prices match LiteLLM's ``vercel_ai_gateway/*`` entries."""
    peer = json.loads((real_payloads / "peer__litellm_model_prices.json").read_bytes())
    rows = by_id(parse(SLUG, SAMPLE.read_bytes()))
    for model_id in ("anthropic/claude-sonnet-4.5", "openai/gpt-4o"):
        entry = peer[f"vercel_ai_gateway/{model_id}"]
        assert rows[model_id].prices.prompt == Decimal(str(entry["input_cost_per_token"]))
        assert rows[model_id].prices.completion == Decimal(str(entry["output_cost_per_token"]))
        assert rows[model_id].prices.cache_read == Decimal(
            str(entry["cache_read_input_token_cost"])
        )


def test_input_and_output_tiers_are_a_long_context_tier() -> None:
    """``min`` is the first prompt size the tier bills: 200001 is "over 200k"."""
    tiered = dict(
        SONNET,
        pricing={
            **SONNET["pricing"],
            "output_tiers": [
                {"cost": "0.000015", "min": 0, "max": 200001},
                {"cost": "0.0000225", "min": 200001},
            ],
        },
    )
    row = parse(SLUG, {"object": "list", "data": [tiered]}).rows[0]
    (tier,) = row.prices.tiers
    assert tier.above_prompt_tokens == 200_000
    assert (tier.prompt, tier.completion) == (Decimal("0.000006"), Decimal("0.0000225"))
    assert tier.cache_read is None, "no tiered cache price listed: unknown, not the base price"
    assert row.prices.tier_for(200_000) is None and row.prices.tier_for(200_001) == tier
    input_only = parse(SLUG, {"object": "list", "data": [SONNET]}).rows[0]
    assert input_only.prices.tiers[0].completion is None
