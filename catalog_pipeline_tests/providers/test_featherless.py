"""Featherless: subscription priced (no prices), a very large list."""

from __future__ import annotations

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline_tests.providers.helpers import (
    parse,
)


def test_featherless_rows_are_unpriced_chat_models() -> None:
    item = {
        "id": "vicgalle/Roleplay-Llama-3-8B",
        "name": "vicgalle/Roleplay-Llama-3-8B",
        "model_class": "llama3-8b-8k",
        "context_length": 8192,
        "max_completion_tokens": 4096,
    }
    row = parse("featherless", {"data": [item]}).rows[0]
    assert row.prices.is_unpriced()
    assert row.price_source == "none"
    assert (row.context_length, row.max_output_tokens) == (8192, 4096)
    assert row.model_type is ModelType.CHAT


def test_featherless_parses_a_full_size_list() -> None:
    items = [
        {
            "id": f"org{i % 97}/model-{i}",
            "name": f"org/model-{i}",
            "model_class": "llama3-8b-8k",
            "context_length": 8192,
            "max_completion_tokens": 4096,
        }
        for i in range(18_000)
    ]
    fetch = parse("featherless", {"data": items})
    assert len(fetch.rows) == 18_000
    assert fetch.rejected_count == 0


def test_featherless_item_without_id_is_rejected() -> None:
    fetch = parse("featherless", {"data": [{"id": "a/b"}, {"name": "no id"}]})
    assert len(fetch.rows) == 1 and fetch.rejected_count == 1


def test_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError) as info:
        parse("featherless", {"error": {"message": "Invalid API key", "code": 401}})
    assert info.value.kind is FailureKind.ERROR_BODY
    assert "Invalid API key" in str(info.value)
