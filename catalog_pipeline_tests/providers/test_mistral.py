"""Mistral /v1/models: capabilities flags, max_context_length, deprecation; no prices."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline_tests.providers.helpers import (
    assert_curated_prices_cross_checked,
    by_id,
    parse,
)

CAPS = {
    "completion_chat": False,
    "completion_fim": False,
    "function_calling": False,
    "fine_tuning": False,
    "vision": False,
    "classification": False,
}


def _item(model_id: str, max_context: int = 32768, deprecation: str | None = None, **caps: bool):
    return {
        "id": model_id,
        "object": "model",
        "created": 1743621323,
        "owned_by": "mistralai",
        "capabilities": {**CAPS, **caps},
        "name": model_id,
        "description": f"Official {model_id} Mistral AI model",
        "max_context_length": max_context,
        "aliases": [],
        "deprecation": deprecation,
        "default_model_temperature": None,
        "type": "base",
    }


def test_chat_model_with_vision_and_tools() -> None:
    body = {
        "object": "list",
        "data": [
            _item(
                "mistral-large-latest",
                262144,
                completion_chat=True,
                function_calling=True,
                vision=True,
            )
        ],
    }
    row = by_id(parse("mistral", body))["mistral-large-latest"]
    assert row.model_type is ModelType.CHAT
    assert row.input_modalities == ("text", "image")
    assert set(row.capabilities) == {"tools", "vision"}
    assert row.context_length == 262_144
    assert row.name is None  # the wire "name" is an id, not a display name
    assert row.prices.is_unpriced()


def test_types_of_non_chat_models_and_deprecation_date() -> None:
    body = {
        "data": [
            _item("mistral-ocr-latest"),  # the real Pipedream sample: every flag false
            _item("mistral-embed", 8192),
            _item("mistral-moderation-latest", classification=True),
            _item("open-mistral-7b", deprecation="2025-03-30T12:00:00Z", completion_chat=True),
        ]
    }
    rows = by_id(parse("mistral", body))
    assert rows["mistral-ocr-latest"].model_type is ModelType.OTHER
    assert rows["mistral-embed"].model_type is ModelType.EMBEDDING
    assert rows["mistral-moderation-latest"].model_type is ModelType.MODERATION
    assert rows["open-mistral-7b"].deprecation_date == dt.date(2025, 3, 30)


def test_error_body_with_status_200_fails() -> None:
    with pytest.raises(ProviderError) as caught:
        parse("mistral", {"message": "Unauthorized", "request_id": "abc"})
    assert caught.value.kind is FailureKind.ERROR_BODY


def test_curated_prices_name_a_source_and_a_peer_cross_check() -> None:
    assert_curated_prices_cross_checked("mistral")
