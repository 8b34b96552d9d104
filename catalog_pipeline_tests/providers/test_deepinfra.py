"""DeepInfra: metadata.pricing in USD per 1M tokens, metadata null for non-LLMs."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline_tests.providers.helpers import (
    by_id,
    parse,
    usd_per_million,
)

DEEPINFRA_LLM = {
    "id": "Qwen/Qwen3.5-27B",
    "object": "model",
    "created": 0,
    "owned_by": "deepinfra",
    "root": "Qwen/Qwen3.5-27B",
    "parent": None,
    "metadata": {
        "description": "Qwen3.5-27B",
        "context_length": 262144,
        "max_tokens": 262144,
        "pricing": {"input_tokens": 0.26, "output_tokens": 2.5999999999999996},
        "tags": ["vision", "reasoning_effort"],
    },
}


def _deepinfra(*items: dict) -> bytes:
    # Raw JSON text so numbers keep their float-noise spelling on the wire.
    return json.dumps({"object": "list", "data": list(items)}).encode()


def test_deepinfra_prices_are_usd_per_million_with_float_noise_removed() -> None:
    row = by_id(parse("deepinfra", _deepinfra(DEEPINFRA_LLM)))["Qwen/Qwen3.5-27B"]
    assert row.prices.prompt == Decimal("0.00000026")
    assert row.prices.completion == Decimal("0.0000026")
    assert row.prices.cache_read is None
    assert row.context_length == 262144
    assert row.model_type is ModelType.CHAT
    assert row.input_modalities == ("text", "image")
    assert set(row.capabilities) == {"vision", "reasoning"}
    assert row.publisher_hint == "Qwen"
    assert row.created_at is None  # created: 0 is "not given"
    assert row.price_source == "provider_api"


def test_deepinfra_null_metadata_is_unpriced_and_not_chat() -> None:
    embed = {"id": "BAAI/bge-m3", "object": "model", "created": 0, "metadata": None}
    edit = {"id": "Bria/erase", "object": "model", "created": 0, "metadata": None}
    rows = by_id(parse("deepinfra", _deepinfra(embed, edit)))
    assert rows["BAAI/bge-m3"].prices.is_unpriced()
    assert rows["BAAI/bge-m3"].price_source == "none"
    assert rows["BAAI/bge-m3"].model_type is ModelType.EMBEDDING
    assert rows["Bria/erase"].model_type is ModelType.OTHER


def test_deepinfra_all_zero_is_unknown_not_free() -> None:
    zero = dict(
        DEEPINFRA_LLM, id="x/zero", metadata={"pricing": {"input_tokens": 0, "output_tokens": 0}}
    )
    row = parse("deepinfra", _deepinfra(zero)).rows[0]
    assert row.prices.prompt is None and row.prices.completion is None


def test_deepinfra_bad_price_is_rejected_and_counted() -> None:
    bad = dict(DEEPINFRA_LLM, id="x/bad", metadata={"pricing": {"input_tokens": "abc"}})
    fetch = parse("deepinfra", _deepinfra(DEEPINFRA_LLM, bad))
    assert len(fetch.rows) == 1
    assert fetch.rejected_count == 1
    assert fetch.rejected[0].provider_model_id == "x/bad"


def test_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError) as info:
        parse("deepinfra", {"error": {"message": "Invalid API key", "code": 401}})
    assert info.value.kind is FailureKind.ERROR_BODY
    assert "Invalid API key" in str(info.value)


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("name", "count"),
    [("deepinfra__agent-zero_2026-03-01.json", 142), ("deepinfra__multichat_2026-04-17.json", 154)],
)
def test_conformance_deepinfra(real_payloads, name: str, count: int) -> None:
    body = (real_payloads / name).read_bytes()
    fetch = parse("deepinfra", body)
    assert fetch.rejected_count == 0, fetch.rejected[:3]
    assert len(fetch.rows) == count == len(json.loads(body)["data"])
    rows = by_id(fetch)
    llama = rows["meta-llama/Meta-Llama-3.1-8B-Instruct"]
    assert usd_per_million(llama.prices.prompt) == Decimal("0.02")
    assert usd_per_million(llama.prices.completion) == Decimal("0.05")
    v32 = rows["deepseek-ai/DeepSeek-V3.2"]
    assert usd_per_million(v32.prices.cache_read) == Decimal("0.13")
    # Rows with metadata: null (embeddings, image models) are listed but unpriced.
    nulls = [i["id"] for i in json.loads(body)["data"] if i["metadata"] is None]
    assert nulls and all(rows[i].prices.is_unpriced() for i in nulls)
    assert all(rows[i].model_type is not ModelType.CHAT for i in nulls)


@pytest.mark.conformance
def test_conformance_deepinfra_float_noise(real_payloads) -> None:
    rows = by_id(
        parse("deepinfra", (real_payloads / "deepinfra__multichat_2026-04-17.json").read_bytes())
    )
    # Wire: 2.5999999999999996 and 0.12000000000000001 (USD per 1M).
    assert usd_per_million(rows["Qwen/Qwen3.5-27B"].prices.completion) == Decimal("2.6")
    assert usd_per_million(rows["Qwen/Qwen2.5-72B-Instruct"].prices.prompt) == Decimal("0.12")
