"""AiMo: the item schema is not documented, so only unambiguous fields are read."""

from __future__ import annotations

import json

import pytest

from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import parse


def test_aimo_keys_models_by_name_and_reads_no_prices() -> None:
    body = {
        "data": [
            {
                "name": "openai/gpt-4o",
                "display_name": "GPT-4o",
                "context_length": 128000,
                "providers": [{"id": "pubkey", "pricing": {"prompt": 2.5, "completion": 10}}],
            },
            {"display_name": "nameless"},
        ]
    }
    fetch = parse("aimo", body)
    assert (len(fetch.rows), fetch.rejected_count) == (1, 1)
    row = fetch.rows[0]
    assert row.provider_model_id == "openai/gpt-4o"
    assert row.name == "GPT-4o"
    assert row.context_length == 128_000
    assert row.publisher_hint == "openai"
    assert row.prices.is_unpriced()


def test_aimo_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError, match="unauthorized"):
        parse("aimo", {"error": {"type": "auth", "message": "unauthorized"}})


def test_sample_recording_parses() -> None:
    body = (RECORDINGS / "aimo/api/v1/models.json").read_bytes()
    fetch = parse("aimo", body)
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(json.loads(body)["data"]) == 2
