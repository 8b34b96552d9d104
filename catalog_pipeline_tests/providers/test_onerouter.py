"""OneRouter: the list schema is not documented, so only unambiguous fields are read."""

from __future__ import annotations

import json

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse


def test_onerouter_reads_limits_and_no_prices() -> None:
    body = {
        "object": "list",
        "data": [
            {
                "id": "deepseek/deepseek-v3.2",
                "object": "model",
                "owned_by": "deepseek",
                "context_length": 163840,
                "max_output_tokens": 65536,
                "min_prompt_price": 0.28,
                "min_completion_price": 0.42,
            },
            {"id": "openai/text-embedding-3-small", "object": "model"},
        ],
    }
    rows = by_id(parse("onerouter", body))
    row = rows["deepseek/deepseek-v3.2"]
    assert row.context_length == 163_840
    assert row.max_output_tokens == 65_536
    assert row.prices.is_unpriced()
    assert row.price_source == "none"
    assert rows["openai/text-embedding-3-small"].model_type is ModelType.EMBEDDING


def test_onerouter_rejects_items_without_id_and_raises_on_error_body() -> None:
    fetch = parse("onerouter", {"data": [{"id": "a/b"}, {"display_name": "no id"}]})
    assert (len(fetch.rows), fetch.rejected_count) == (1, 1)
    with pytest.raises(ProviderError, match="invalid token"):
        parse("onerouter", {"error": {"message": "invalid token"}})


def test_sample_recording_parses() -> None:
    body = (RECORDINGS / "onerouter/v1/models.json").read_bytes()
    fetch = parse("onerouter", body)
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(json.loads(body)["data"]) == 3
