"""Groq: the OpenAI list plus context_window and max_completion_tokens, no prices."""

from __future__ import annotations

import pytest

from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse


def test_sample_recording_limits_and_no_prices() -> None:
    rows = by_id(parse("groq", (RECORDINGS / "groq/openai/v1/models.json").read_bytes()))
    assert len(rows) == 5
    llama = rows["llama-3.3-70b-versatile"]
    assert (llama.context_length, llama.max_output_tokens) == (131_072, 32_768)
    assert llama.publisher_hint == "Meta"
    assert rows["moonshotai/kimi-k2-instruct-0905"].context_length == 262_144
    assert all(row.prices.is_unpriced() and row.price_source == "none" for row in rows.values())


def test_error_body_with_status_200_fails() -> None:
    body = {"error": {"message": "Invalid API Key", "type": "invalid_request_error"}}
    with pytest.raises(ProviderError) as caught:
        parse("groq", body)
    assert caught.value.kind is FailureKind.ERROR_BODY


@pytest.mark.conformance
def test_conformance_current_schema(real_payloads) -> None:
    fetch = parse("groq", (real_payloads / "groq__starmap_2025-09-11.json").read_bytes())
    assert fetch.rejected_count == 0 and len(fetch.rows) == 23
    llama = by_id(fetch)["llama-3.3-70b-versatile"]
    assert (llama.context_length, llama.max_output_tokens) == (131_072, 32_768)


@pytest.mark.conformance
def test_conformance_older_schema_without_max_completion_tokens(real_payloads) -> None:
    fetch = parse("groq", (real_payloads / "groq__llm_api_2025-01.json").read_bytes())
    assert fetch.rejected_count == 0 and len(fetch.rows) == 16
    llama = by_id(fetch)["llama-3.3-70b-versatile"]
    assert (llama.context_length, llama.max_output_tokens) == (32_768, None)


@pytest.mark.conformance
def test_conformance_trailing_junk_is_a_payload_error(real_payloads) -> None:
    name = "groq__ailiteracy-openclaw_mislabeled-grok_TRAILING-JUNK.json"
    with pytest.raises(ProviderError) as caught:
        parse("groq", (real_payloads / name).read_bytes())
    assert caught.value.kind is FailureKind.PAYLOAD
