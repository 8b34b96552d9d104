"""Google Gemini API: nextPageToken paging, types from generation methods, curated prices."""

from __future__ import annotations

import json
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

FLASH = {
    "name": "models/gemini-2.5-flash",
    "version": "001",
    "displayName": "Gemini 2.5 Flash",
    "inputTokenLimit": 1048576,
    "outputTokenLimit": 65536,
    "supportedGenerationMethods": [
        "generateContent",
        "countTokens",
        "createCachedContent",
        "batchGenerateContent",
    ],
    "thinking": True,
}


def _model(name: str, *methods: str, **extra: object) -> dict:
    return {"name": name, "supportedGenerationMethods": list(methods), **extra}


def test_id_keeps_models_prefix_and_limits_are_mapped() -> None:
    row = by_id(parse("google", {"models": [FLASH]}))["models/gemini-2.5-flash"]
    assert row.name == "Gemini 2.5 Flash"
    assert row.context_length == 1_048_576
    assert row.max_output_tokens == 65_536
    assert row.model_type is ModelType.CHAT
    assert set(row.capabilities) == {"reasoning", "caching", "batch"}
    assert row.prices.is_unpriced()
    assert row.price_source == "none"


def test_types_come_from_generation_methods_then_id() -> None:
    body = {
        "models": [
            _model("models/gemini-embedding-001", "embedContent", outputTokenLimit=1),
            _model("models/imagen-4.0-generate-001", "predict"),
            _model("models/veo-3.1-generate-preview", "predictLongRunning"),
            _model("models/gemini-2.5-flash-image", "generateContent"),
            _model("models/gemini-2.5-flash-preview-tts", "generateContent"),
            _model("models/text-bison-001", "generateText"),
            _model("models/aqa", "generateAnswer"),
        ]
    }
    rows = by_id(parse("google", body))
    assert rows["models/gemini-embedding-001"].model_type is ModelType.EMBEDDING
    assert rows["models/gemini-embedding-001"].max_output_tokens is None
    imagen = rows["models/imagen-4.0-generate-001"]
    assert (imagen.model_type, imagen.input_modalities) == (ModelType.IMAGE, ("text",))
    assert rows["models/veo-3.1-generate-preview"].model_type is ModelType.VIDEO
    image = rows["models/gemini-2.5-flash-image"]
    assert image.model_type is ModelType.IMAGE
    assert image.output_modalities == ("image", "text")
    assert rows["models/gemini-2.5-flash-preview-tts"].model_type is ModelType.AUDIO
    assert rows["models/text-bison-001"].model_type is ModelType.COMPLETION
    assert rows["models/aqa"].model_type is ModelType.OTHER


def test_pagination_follows_next_page_token_until_absent() -> None:
    spec = get_provider("google")
    first = spec.first_request()
    assert first == PageRequest("/v1beta/models", (("pageSize", "1000"),))
    following = spec.next_request({"nextPageToken": "abc"}, first, 50)
    assert following == PageRequest("/v1beta/models", (("pageSize", "1000"), ("pageToken", "abc")))
    assert spec.next_request({}, following, 3) is None


def test_key_goes_in_the_header_not_the_query() -> None:
    spec = get_provider("google")
    assert spec.auth_header == "x-goog-api-key"
    assert spec.key_env_names == ("GOOGLE_API_KEY", "GEMINI_API_KEY")
    assert all(name != "key" for name, _ in spec.first_request().params)


def test_error_body_with_status_200_fails() -> None:
    body = {"error": {"code": 400, "message": "API key not valid.", "status": "INVALID_ARGUMENT"}}
    with pytest.raises(ProviderError) as caught:
        parse("google", body)
    assert caught.value.kind is FailureKind.ERROR_BODY
    assert "API key not valid" in str(caught.value)


def test_item_without_name_is_rejected_not_dropped() -> None:
    fetch = parse("google", {"models": [FLASH, {"displayName": "nameless"}]})
    assert len(fetch.rows) == 1
    assert fetch.rejected_count == 1


def test_published_prices_become_usd_per_token() -> None:
    pro = get_provider("google").curated_price("models/gemini-2.5-pro").prices
    assert (pro.prompt, pro.completion, pro.cache_read) == (
        Decimal("0.00000125"),
        Decimal("0.00001"),
        Decimal("0.000000125"),
    )


def test_blank_curated_price_is_unknown() -> None:
    embed = get_provider("google").curated_price("models/gemini-embedding-001").prices
    assert embed.prompt == Decimal("0.00000015")
    assert embed.completion is None


def test_curated_prices_name_a_source_and_a_peer_cross_check() -> None:
    assert_curated_prices_cross_checked("google")


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("name", "count", "token"),
    [
        ("gemini__llm-gemini_cassette_2025-04-17.json", 50, None),
        (
            "gemini__llm-gemini_cassette_2026-08-05_page1.json",
            50,
            "Ch9tb2RlbHMvdmVvLTMuMS1nZW5lcmF0ZS1wcmV2aWV3",
        ),
    ],
)
def test_conformance_real_payloads(real_payloads, name: str, count: int, token: str | None) -> None:
    body = (real_payloads / name).read_bytes()
    fetch = parse("google", body)
    assert fetch.rejected_count == 0, fetch.rejected[:3]
    assert len(fetch.rows) == count == len(json.loads(body)["models"])
    spec = get_provider("google")
    envelope = json.loads(body)
    envelope.pop("models")
    following = spec.next_request(envelope, spec.first_request(), count)
    assert (following is None) == (token is None)
    if following is not None:
        assert ("pageToken", token) in following.params


@pytest.mark.conformance
def test_conformance_types_and_limits(real_payloads) -> None:
    body = (real_payloads / "gemini__llm-gemini_cassette_2026-08-05_page1.json").read_bytes()
    rows = by_id(parse("google", body))
    pro = rows["models/gemini-2.5-pro"]
    assert (pro.context_length, pro.max_output_tokens) == (1_048_576, 65_536)
    assert "reasoning" in pro.capabilities
    assert rows["models/gemini-embedding-001"].model_type is ModelType.EMBEDDING
    assert rows["models/imagen-4.0-generate-001"].model_type is ModelType.IMAGE
    assert rows["models/veo-3.1-generate-preview"].model_type is ModelType.VIDEO
    assert rows["models/gemini-2.5-pro-preview-tts"].model_type is ModelType.AUDIO
    assert all(row.prices.is_unpriced() for row in rows.values())
