"""Chutes: pricing.* in USD per 1M tokens on the llm.chutes.ai list."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline_tests.providers.helpers import (
    parse,
    usd_per_million,
)


def test_chutes_prices_and_features() -> None:
    item = {
        "id": "Qwen/Qwen3-32B-TEE",
        "created": 1745884800,
        "pricing": {"prompt": 0.104, "completion": 0.416, "input_cache_read": 0.052},
        "context_length": 40960,
        "max_output_length": 40960,
        "input_modalities": ["text"],
        "output_modalities": ["text"],
        "supported_features": ["json_mode", "tools", "structured_outputs", "reasoning"],
    }
    row = parse("chutes", {"data": [item]}).rows[0]
    assert usd_per_million(row.prices.prompt) == Decimal("0.104")
    assert usd_per_million(row.prices.completion) == Decimal("0.416")
    assert usd_per_million(row.prices.cache_read) == Decimal("0.052")
    assert row.capabilities == ("tools", "reasoning", "structured_outputs", "json_mode")
    assert row.max_output_tokens == 40960


def test_chutes_model_without_pricing_is_unknown() -> None:
    row = parse("chutes", {"data": [{"id": "org/model-TEE", "created": 1}]}).rows[0]
    assert row.prices.is_unpriced()


def test_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError) as info:
        parse("chutes", {"error": {"message": "Invalid API key", "code": 401}})
    assert info.value.kind is FailureKind.ERROR_BODY
    assert "Invalid API key" in str(info.value)


@pytest.mark.conformance
def test_conformance_chutes_platform_listing_is_not_the_model_list(real_payloads) -> None:
    body = (real_payloads / "chutes-platform__llm-workload_2025-10.json").read_bytes()
    with pytest.raises(ProviderError) as info:
        parse("chutes", body)
    assert info.value.kind is FailureKind.PAYLOAD
    assert "'data' array" in str(info.value)
