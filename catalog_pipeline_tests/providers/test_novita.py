"""Novita: integers in 1/10,000 USD per 1M tokens, declared model types."""

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

NOVITA_CHAT = {
    "created": 1733560109,
    "id": "meta-llama/llama-3.3-70b-instruct",
    "object": "model",
    "input_token_price_per_m": 3900,
    "output_token_price_per_m": 3900,
    "title": "meta-llama/llama-3.3-70b-instruct",
    "display_name": "Llama 3.3 70B Instruct",
    "context_size": 131072,
    "max_output_tokens": 120000,
    "model_type": "chat",
    "features": ["function-calling", "reasoning"],
    "input_modalities": ["text"],
    "output_modalities": ["text"],
    "status": 1,
}


def test_novita_prices_are_ten_thousandths_of_usd_per_million() -> None:
    # Novita's own docs example: 3900 for Llama 3.3 70B, which it sold at $0.39/M.
    row = parse("novita", {"data": [NOVITA_CHAT]}).rows[0]
    assert usd_per_million(row.prices.prompt) == Decimal("0.39")
    assert row.prices.prompt == Decimal("0.00000039")
    assert row.name == "Llama 3.3 70B Instruct"
    assert row.context_length == 131072
    assert row.max_output_tokens == 120000
    assert row.capabilities == ("tools", "reasoning")


def test_novita_declared_type_wins() -> None:
    embed = dict(
        NOVITA_CHAT,
        id="baai/bge-m3",
        model_type="embedding",
        input_token_price_per_m=100,
        output_token_price_per_m=100,
        output_modalities=["embedding"],
    )
    row = parse("novita", {"data": [embed]}).rows[0]
    assert row.model_type is ModelType.EMBEDDING
    assert row.output_modalities == ("embedding",)
    assert usd_per_million(row.prices.prompt) == Decimal("0.01")


def test_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError) as info:
        parse("novita", {"error": {"message": "Invalid API key", "code": 401}})
    assert info.value.kind is FailureKind.ERROR_BODY
    assert "Invalid API key" in str(info.value)


@pytest.mark.conformance
def test_conformance_novita_2024(real_payloads) -> None:
    # The fixture is the bare data[] array (its author stripped the {"data": ...} wrapper).
    items = json.loads(
        (real_payloads / "novita__lobechat_fixture_2024_data_array.json").read_bytes()
    )
    fetch = parse("novita", {"data": items})
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(items) == 18
    rows = by_id(fetch)
    # Novita's July 2024 published prices: Llama 3 70B $0.55/$0.76, Gemma 2 9B $0.08 per 1M.
    assert usd_per_million(rows["meta-llama/llama-3-70b-instruct"].prices.prompt) == Decimal("0.55")
    assert usd_per_million(rows["meta-llama/llama-3-70b-instruct"].prices.completion) == Decimal(
        "0.76"
    )
    assert usd_per_million(rows["google/gemma-2-9b-it"].prices.prompt) == Decimal("0.08")
    assert rows["meta-llama/llama-3-8b-instruct"].prices.prompt == Decimal("0.000000063")
