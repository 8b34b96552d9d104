"""Anthropic: has_more / after_id paging, limits and capabilities, prices from curated rows."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.client import ProviderClient
from catalog_pipeline.providers.dialect import PageRequest
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.fetch import fetch_provider
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline_tests.providers.helpers import (
    assert_curated_prices_cross_checked,
    by_id,
    parse,
)

SONNET = {
    "type": "model",
    "id": "claude-sonnet-4-5-20250929",
    "display_name": "Claude Sonnet 4.5",
    "created_at": "2025-09-29T00:00:00Z",
    "max_input_tokens": 1000000,
    "max_tokens": 64000,
    "capabilities": {
        "batch": {"supported": True},
        "image_input": {"supported": True},
        "pdf_input": {"supported": True},
        "structured_outputs": {"supported": True},
        "thinking": {"supported": True},
        "citations": {"supported": False},
    },
}


def test_limits_modalities_and_capabilities_are_mapped() -> None:
    row = parse("anthropic", {"data": [SONNET], "has_more": False}).rows[0]
    assert row.name == "Claude Sonnet 4.5"
    assert (row.context_length, row.max_output_tokens) == (1_000_000, 64_000)
    assert row.input_modalities == ("text", "image", "file")
    assert row.capabilities == ("tools", "reasoning", "structured_outputs", "vision", "batch")
    assert row.model_type is ModelType.CHAT
    assert row.prices.is_unpriced() and row.price_source == "none"


def test_pages_follow_last_id_while_has_more() -> None:
    spec = get_provider("anthropic")
    first = spec.first_request()
    assert first == PageRequest("/v1/models", (("limit", "1000"),))
    envelope = {"has_more": True, "last_id": "claude-haiku-4-5-20251001"}
    assert spec.next_request(envelope, first, 2) == PageRequest(
        "/v1/models", (("after_id", "claude-haiku-4-5-20251001"), ("limit", "1000"))
    )
    assert spec.next_request({"has_more": False, "last_id": "x"}, first, 2) is None
    with pytest.raises(ValueError, match="last_id is missing"):
        spec.next_request({"has_more": True}, first, 2)


def test_replayed_fetch_reads_both_pages(replay_server) -> None:
    client = ProviderClient(require_api_keys=False)
    fetch = fetch_provider(client, get_provider("anthropic"))
    assert [row.provider_model_id for row in fetch.rows] == [
        "claude-sonnet-4-5-20250929",
        "claude-haiku-4-5-20251001",
        "claude-sonnet-4-20250514",
        "claude-opus-4-1-20250805",
    ]


def test_curated_prices_are_usd_per_million_converted_to_per_token() -> None:
    sonnet = get_provider("anthropic").curated_price("claude-sonnet-4-5-20250929").prices
    assert (sonnet.prompt, sonnet.completion, sonnet.cache_read, sonnet.cache_write) == (
        Decimal("0.000003"),
        Decimal("0.000015"),
        Decimal("0.0000003"),
        Decimal("0.00000375"),
    )


def test_curated_prices_name_a_source_and_a_peer_cross_check() -> None:
    assert_curated_prices_cross_checked("anthropic")


def test_error_body_with_status_200_fails() -> None:
    body = {"type": "error", "error": {"type": "authentication_error", "message": "invalid key"}}
    with pytest.raises(ProviderError) as caught:
        parse("anthropic", body)
    assert caught.value.kind is FailureKind.ERROR_BODY
    assert "invalid key" in str(caught.value)


@pytest.mark.conformance
def test_conformance_new_schema(real_payloads) -> None:
    body = (real_payloads / "anthropic__starmap_2026-08-17.json").read_bytes()
    fetch = parse("anthropic", body)
    assert fetch.rejected_count == 0, fetch.rejected[:3]
    assert len(fetch.rows) == 10 == len(json.loads(body)["data"])
    opus = by_id(fetch)["claude-opus-5"]
    assert (opus.context_length, opus.max_output_tokens) == (1_000_000, 128_000)
    assert "reasoning" in opus.capabilities and "file" in opus.input_modalities


@pytest.mark.conformance
def test_conformance_old_schema_has_no_limits(real_payloads) -> None:
    body = (real_payloads / "anthropic__starmap_2025-08-16.json").read_bytes()
    fetch = parse("anthropic", body)
    assert fetch.rejected_count == 0, fetch.rejected[:3]
    assert len(fetch.rows) == 8
    opus = by_id(fetch)["claude-opus-4-1-20250805"]
    assert opus.name == "Claude Opus 4.1"
    assert opus.context_length is None and opus.input_modalities == ("text",)
