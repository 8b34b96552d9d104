"""Fireworks: no prices in the list, curated USD per 1M tokens."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline_tests.providers.helpers import (
    assert_curated_prices_cross_checked,
    by_id,
    parse,
)


def test_fireworks_list_has_no_prices_and_types_from_its_flags() -> None:
    items = [
        {
            "id": "accounts/fireworks/models/gpt-oss-120b",
            "supports_chat": True,
            "supports_tools": True,
            "supports_image_input": False,
            "context_length": 131072,
        },
        {"id": "accounts/fireworks/models/some-base-7b", "supports_chat": False},
        {
            "id": "accounts/fireworks/models/kimi-k2p6",
            "supports_chat": True,
            "supports_image_input": True,
        },
    ]
    rows = by_id(parse("fireworks", {"object": "list", "data": items}))
    chat = rows["accounts/fireworks/models/gpt-oss-120b"]
    assert chat.prices.is_unpriced() and chat.price_source == "none"
    assert chat.capabilities == ("tools",)
    assert chat.publisher_hint is None
    assert rows["accounts/fireworks/models/some-base-7b"].model_type is ModelType.COMPLETION
    assert rows["accounts/fireworks/models/kimi-k2p6"].input_modalities == ("text", "image")


def test_fireworks_curated_prices_are_per_token() -> None:
    entry = get_provider("fireworks").curated_price("accounts/fireworks/models/gpt-oss-120b")
    assert entry.prices.prompt == Decimal("0.00000015")
    assert entry.prices.completion == Decimal("0.0000006")
    assert entry.source_url.startswith("https://fireworks.ai/")


def test_curated_prices_name_a_source_and_a_peer_cross_check() -> None:
    assert_curated_prices_cross_checked("fireworks")


def test_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError) as info:
        parse("fireworks", {"error": {"message": "Invalid API key", "code": 401}})
    assert info.value.kind is FailureKind.ERROR_BODY
    assert "Invalid API key" in str(info.value)
