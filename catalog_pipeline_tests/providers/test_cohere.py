"""Cohere /v1/models: endpoints[] types, context_length, next_page_token paging; no prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.dialect import PageRequest
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline_tests.providers.helpers import (
    assert_curated_prices_cross_checked,
    by_id,
    parse,
)

COMMAND_A = {
    "name": "command-a-03-2025",
    "endpoints": ["chat"],
    "finetuned": False,
    "context_length": 256000,
    "tokenizer_url": "https://storage.googleapis.com/cohere-public/tokenizers/command-a-03-2025.json",
    "default_endpoints": ["chat"],
    "features": ["json_mode", "json_schema", "strict_tools", "tools"],
}


def test_chat_model_fields() -> None:
    row = by_id(parse("cohere", {"models": [COMMAND_A]}))["command-a-03-2025"]
    assert row.model_type is ModelType.CHAT
    assert row.context_length == 256_000
    assert set(row.capabilities) == {"tools", "structured_outputs"}
    assert row.publisher_hint == "cohere"
    assert row.prices.is_unpriced()


def test_types_from_endpoints_and_float_context_length() -> None:
    body = {
        "models": [
            {"name": "embed-v4.0", "endpoints": ["embed"], "context_length": 128000.0},
            {"name": "rerank-v3.5", "endpoints": ["rerank"], "context_length": 4096},
            {"name": "command-r-08-2024", "endpoints": ["generate", "chat", "summarize"]},
            {"name": "classifier", "endpoints": ["classify"]},
        ]
    }
    rows = by_id(parse("cohere", body))
    assert rows["embed-v4.0"].model_type is ModelType.EMBEDDING
    assert rows["embed-v4.0"].context_length == 128_000
    assert rows["rerank-v3.5"].model_type is ModelType.RERANK
    assert rows["command-r-08-2024"].model_type is ModelType.CHAT
    assert rows["classifier"].model_type is ModelType.OTHER


def test_pagination_uses_next_page_token() -> None:
    spec = get_provider("cohere")
    first = spec.first_request()
    assert first == PageRequest("/v1/models", (("page_size", "1000"),))
    following = spec.next_request({"next_page_token": "tok"}, first, 1000)
    assert following == PageRequest("/v1/models", (("page_size", "1000"), ("page_token", "tok")))
    assert spec.next_request({"next_page_token": ""}, following, 5) is None
    assert spec.next_request({}, following, 5) is None


def test_error_body_with_status_200_fails() -> None:
    with pytest.raises(ProviderError) as caught:
        parse("cohere", {"message": "invalid api token"})
    assert caught.value.kind is FailureKind.ERROR_BODY


def test_published_prices_become_usd_per_token() -> None:
    command_r7b = get_provider("cohere").curated_price("command-r7b-12-2024").prices
    assert command_r7b.prompt == Decimal("0.0000000375")


def test_curated_prices_name_a_source_and_a_peer_cross_check() -> None:
    assert_curated_prices_cross_checked("cohere")
