"""Cerebras public list: USD per token strings."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline_tests.providers.helpers import (
    by_id,
    parse,
    usd_per_million,
)


def test_cerebras_public_prices_are_usd_per_token_strings() -> None:
    item = {
        "id": "gemma-4-31b",
        "owned_by": "Google",
        "name": "Gemma 4 31B",
        "pricing": {"prompt": "0.00000099", "completion": "0.00000149"},
        "capabilities": {"vision": True, "tools": True, "reasoning": True, "streaming": True},
        "architecture": {"modality": "text+vision"},
        "limits": {"max_context_length": 131072, "max_completion_tokens": 40960},
        "deprecated": False,
    }
    row = parse("cerebras", {"object": "list", "data": [item]}).rows[0]
    assert row.prices.prompt == Decimal("0.00000099")
    assert row.prices.completion == Decimal("0.00000149")
    assert row.input_modalities == ("text", "image")
    assert row.output_modalities == ("text",)
    assert row.capabilities == ("tools", "reasoning", "vision")
    assert row.publisher_hint == "Google"
    assert (row.context_length, row.max_output_tokens) == (131072, 40960)


def test_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError) as info:
        parse("cerebras", {"error": {"message": "Invalid API key", "code": 401}})
    assert info.value.kind is FailureKind.ERROR_BODY
    assert "Invalid API key" in str(info.value)


@pytest.mark.conformance
def test_conformance_cerebras_public(real_payloads) -> None:
    fetch = parse(
        "cerebras",
        (real_payloads / "cerebras-public__ai-pricelog_fixture_trimmed.json").read_bytes(),
    )
    assert fetch.rejected_count == 0 and len(fetch.rows) == 2
    oss = by_id(fetch)["gpt-oss-120b"]
    assert usd_per_million(oss.prices.prompt) == Decimal("0.35")
    assert usd_per_million(oss.prices.completion) == Decimal("0.75")


@pytest.mark.conformance
def test_conformance_cerebras_bare_v1_list_has_no_prices(real_payloads) -> None:
    fetch = parse("cerebras", (real_payloads / "cerebras__starmap_2025-09-11.json").read_bytes())
    assert fetch.rejected_count == 0 and len(fetch.rows) == 9
    assert all(row.prices.is_unpriced() for row in fetch.rows)
