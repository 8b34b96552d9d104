"""NEAR AI Cloud: USD per 1M input/output, USD per token cache reads, in one object."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse

NEAR_ITEM = {
    "id": "anthropic/claude-haiku-4-5",
    "object": "model",
    "created": 1760486400,
    "owned_by": "anthropic",
    "name": "Claude Haiku 4.5",
    "pricing": {"input": 1.0, "output": 5.0, "input_cache_read": "0.0000001"},
    "context_length": 200000,
    "max_output_length": 64000,
    "input_modalities": ["text", "image"],
    "output_modalities": ["text"],
    "supported_features": ["tools", "reasoning"],
}


def test_near_input_output_per_million_cache_read_per_token() -> None:
    row = parse("near", {"object": "list", "data": [NEAR_ITEM]}).rows[0]
    assert row.prices.prompt == Decimal("0.000001")
    assert row.prices.completion == Decimal("0.000005")
    assert row.prices.cache_read == Decimal("0.0000001")
    assert row.context_length == 200000 and row.max_output_tokens == 64000
    assert row.input_modalities == ("text", "image")
    assert row.capabilities == ("tools", "reasoning")


def test_near_zero_is_unknown_and_misread_cache_unit_is_rejected() -> None:
    zero = dict(NEAR_ITEM, id="x/zero", pricing={"input": 0, "output": 0})
    per_million_cache = dict(
        NEAR_ITEM, id="x/bad", pricing={"input": 1, "output": 5, "input_cache_read": "0.1"}
    )
    fetch = parse("near", {"data": [zero, per_million_cache]})
    assert by_id(fetch)["x/zero"].prices.is_unpriced()
    assert fetch.rejected_count == 1 and fetch.rejected[0].provider_model_id == "x/bad"


def test_near_embedding_type_from_output_modality() -> None:
    emb = dict(
        NEAR_ITEM,
        id="Qwen/Qwen3-Embedding-0.6B",
        pricing={"input": 0.01, "output": 0.0},
        output_modalities=["embeddings"],
        input_modalities=["text"],
        supported_features=[],
    )
    row = parse("near", {"data": [emb]}).rows[0]
    assert row.model_type is ModelType.EMBEDDING
    assert row.prices.prompt == Decimal("0.00000001")
    assert row.prices.completion == Decimal(0)


def test_near_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError, match="Invalid API key"):
        parse("near", {"error": {"message": "Invalid API key", "type": "invalid_request_error"}})


def test_sample_recording_parses() -> None:
    fetch = parse("near", (RECORDINGS / "near/v1/models.json").read_bytes())
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == 4
