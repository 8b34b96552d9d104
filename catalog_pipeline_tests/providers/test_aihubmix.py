"""AIHubMix: ``model_id`` items, comma-separated strings, prices in USD per 1M tokens."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse

SLUG = "aihubmix"
SAMPLE = RECORDINGS / SLUG / "api" / "v1" / "models.json"

SONNET = {
    "model_id": "claude-sonnet-4-6",
    "model_name": "Claude Sonnet 4.6",
    "vendor": "anthropic",
    "types": "llm",
    "features": "thinking,tools,function_calling,structured_outputs",
    "input_modalities": "text,image,pdf",
    "max_output": 64000,
    "context_length": 1000000,
    "pricing": {"input": 3, "output": 15, "cache_read": 0.3, "cache_write": 3.75},
}


def _body(*models: dict) -> dict:
    return {"success": True, "data": list(models), "message": ""}


def test_prices_are_usd_per_million() -> None:
    row = by_id(parse(SLUG, _body(SONNET)))["claude-sonnet-4-6"]
    assert row.prices.prompt == Decimal("0.000003")
    assert row.prices.completion == Decimal("0.000015")
    assert row.prices.cache_read == Decimal("0.0000003")
    assert row.prices.cache_write == Decimal("0.00000375")
    assert row.model_type is ModelType.CHAT
    assert row.input_modalities == ("text", "image", "pdf")
    assert row.context_length == 1_000_000
    assert row.max_output_tokens == 64_000
    assert row.capabilities == ("tools", "reasoning", "structured_outputs", "vision")


def test_missing_price_is_unknown_zero_is_free_and_zero_limits_are_unknown() -> None:
    free = dict(SONNET, model_id="coding-glm-5.1-free", pricing={"input": 0, "output": 0})
    bare = {"model_id": "mystery", "types": "llm", "context_length": 0, "max_output": 0}
    rows = by_id(parse(SLUG, _body(free, bare)))
    assert rows["coding-glm-5.1-free"].prices.prompt == Decimal(0)
    assert rows["coding-glm-5.1-free"].prices.cache_read is None
    assert rows["mystery"].prices.is_unpriced()
    assert rows["mystery"].context_length is None
    assert rows["mystery"].max_output_tokens is None


def test_non_token_types_stay_unpriced() -> None:
    image = dict(SONNET, model_id="gpt-image-2", types="image_generation")
    tts = dict(SONNET, model_id="tts-1", types="tts")
    embed = dict(SONNET, model_id="text-embedding-3-large", types="embedding")
    rows = by_id(parse(SLUG, _body(image, tts, embed)))
    assert rows["gpt-image-2"].model_type is ModelType.IMAGE
    assert rows["gpt-image-2"].prices.is_unpriced()
    assert rows["tts-1"].model_type is ModelType.AUDIO
    assert rows["tts-1"].prices.is_unpriced()
    assert rows["text-embedding-3-large"].model_type is ModelType.EMBEDDING
    assert rows["text-embedding-3-large"].prices.prompt == Decimal("0.000003")


def test_success_false_with_status_200_raises() -> None:
    with pytest.raises(ProviderError, match="rate limited"):
        parse(SLUG, {"success": False, "data": [], "message": "rate limited"})


def test_item_without_model_id_is_rejected() -> None:
    fetch = parse(SLUG, _body(SONNET, {"model_name": "no id"}))
    assert len(fetch.rows) == 1
    assert fetch.rejected_count == 1


def test_sample_recording_parses() -> None:
    body = SAMPLE.read_bytes()
    fetch = parse(SLUG, body)
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(json.loads(body)["data"]) == 4


@pytest.mark.conformance
def test_conformance_sample_prices_agree_with_models_dev(real_payloads) -> None:
    """models.dev's AIHubMix sync stores the served numbers unchanged as USD per 1M."""
    peer = json.loads((real_payloads / "peer__modelsdev_api_export.json").read_bytes())
    rows = by_id(parse(SLUG, SAMPLE.read_bytes()))
    for model_id in ("claude-sonnet-4-6", "gemini-2.5-flash"):
        cost = peer["aihubmix"]["models"][model_id]["cost"]
        assert rows[model_id].prices.prompt == Decimal(str(cost["input"])) / 1_000_000
        assert rows[model_id].prices.completion == Decimal(str(cost["output"])) / 1_000_000
        assert rows[model_id].prices.cache_read == Decimal(str(cost["cache_read"])) / 1_000_000


def test_context_tiers_are_long_context_prices_per_million() -> None:
    tiered = dict(
        SONNET,
        pricing={
            **SONNET["pricing"],
            "tiers": [
                {
                    "tier": {"type": "context", "size": 200000},
                    "input": 6,
                    "output": 22.5,
                    "cache_read": 0.6,
                    "cache_write": 7.5,
                },
                {"tier": {"type": "time_of_day", "size": 3}, "input": 1},
            ],
        },
    )
    (tier,) = by_id(parse(SLUG, _body(tiered)))["claude-sonnet-4-6"].prices.tiers
    assert tier.above_prompt_tokens == 200_000
    assert (tier.prompt, tier.completion) == (Decimal("0.000006"), Decimal("0.0000225"))
    assert (tier.cache_read, tier.cache_write) == (Decimal("0.0000006"), Decimal("0.0000075"))
