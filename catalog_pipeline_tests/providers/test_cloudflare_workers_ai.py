"""Cloudflare Workers AI: properties[price] units in words, page/per_page, account id env."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.client import BASE_URL_ENV
from catalog_pipeline.providers.dialect import PageRequest
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse

SLUG = "cloudflare-workers-ai"
PAGES = RECORDINGS / SLUG / "client/v4/accounts/replay-account/ai/models"


@pytest.fixture(autouse=True)
def account(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDFLARE_WORKERS_AI_ACCOUNT_ID", "0123456789abcdef")


def _item(name: str, task: str, *props: dict) -> dict:
    return {"id": "uuid-" + name, "name": name, "task": {"name": task}, "properties": list(props)}


def _price(*entries: tuple[str, object]) -> dict:
    return {
        "property_id": "price",
        "value": [{"unit": u, "price": p, "currency": "USD"} for u, p in entries],
    }


def test_token_prices_are_usd_per_million() -> None:
    item = _item(
        "@cf/moonshotai/kimi-k2.6",
        "Text Generation",
        {"property_id": "context_window", "value": "262144"},
        {"property_id": "function_calling", "value": "true"},
        _price(
            ("per M input tokens", 0.95),
            ("per M output tokens", 4),
            ("per M cached input tokens", 0.16),
        ),
    )
    row = parse(SLUG, {"success": True, "result": [item]}).rows[0]
    assert row.provider_model_id == "@cf/moonshotai/kimi-k2.6"
    assert row.prices.prompt == Decimal("0.00000095")
    assert row.prices.completion == Decimal("0.000004")
    assert row.prices.cache_read == Decimal("0.00000016")
    assert row.context_length == 262144
    assert row.capabilities == ("tools",)


def test_missing_price_and_non_token_units_are_unknown_not_free() -> None:
    unpriced = _item("@cf/some/model", "Text Generation")
    audio = _item(
        "@cf/openai/whisper", "Automatic Speech Recognition", _price(("per audio minute", 0.0005))
    )
    rows = by_id(parse(SLUG, {"success": True, "result": [unpriced, audio]}))
    assert rows["@cf/some/model"].prices.is_unpriced()
    assert rows["@cf/openai/whisper"].prices.is_unpriced()
    assert rows["@cf/openai/whisper"].model_type is ModelType.TRANSCRIPTION


def test_unknown_token_unit_rejects_the_item() -> None:
    odd = _item("@cf/x/y", "Text Generation", _price(("per K input tokens", 1)))
    fetch = parse(SLUG, {"success": True, "result": [odd]})
    assert fetch.rejected_count == 1
    assert "per K input tokens" in fetch.rejected[0].error


def test_task_gives_type() -> None:
    items = [
        _item("@cf/baai/bge-base-en-v1.5", "Text Embeddings"),
        _item("@cf/black-forest-labs/flux-1-schnell", "Text-to-Image"),
        _item("@cf/meta/m2m100-1.2b", "Translation"),
    ]
    rows = by_id(parse(SLUG, {"success": True, "result": items}))
    assert rows["@cf/baai/bge-base-en-v1.5"].model_type is ModelType.EMBEDDING
    assert rows["@cf/black-forest-labs/flux-1-schnell"].model_type is ModelType.IMAGE
    assert rows["@cf/meta/m2m100-1.2b"].model_type is ModelType.OTHER


def test_error_body_with_status_200_raises() -> None:
    body = {
        "success": False,
        "errors": [{"code": 10000, "message": "Authentication error"}],
        "messages": [],
        "result": None,
    }
    with pytest.raises(ProviderError, match="Authentication error"):
        parse(SLUG, body)


def test_pagination_follows_result_info_and_stops() -> None:
    spec = get_provider(SLUG)
    first = spec.first_request()
    assert first.path == "/client/v4/accounts/0123456789abcdef/ai/models/search"
    envelope = {"result_info.page": 1, "result_info.per_page": 2, "result_info.total_count": 4}
    second = spec.next_request(envelope, first, 2)
    assert second == PageRequest(first.path, (("page", "2"), ("per_page", "100")))
    last = {"result_info.page": 2, "result_info.per_page": 2, "result_info.total_count": 4}
    assert spec.next_request(last, second, 2) is None
    assert spec.next_request({}, first, 0) is None
    assert spec.next_request({}, first, 37) is None


def test_missing_account_id_is_not_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLOUDFLARE_WORKERS_AI_ACCOUNT_ID")
    monkeypatch.delenv("CLOUDFLARE_ACCOUNT_ID", raising=False)
    monkeypatch.delenv(BASE_URL_ENV, raising=False)
    spec = get_provider(SLUG)
    with pytest.raises(ProviderError) as info:
        spec.first_request()
    assert info.value.kind is FailureKind.NOT_CONFIGURED
    assert "CLOUDFLARE_WORKERS_AI_ACCOUNT_ID" in info.value.message


def test_sample_recording_pages_parse() -> None:
    rows = {}
    for name in ("search.json", "search@page=2.json"):
        fetch = parse(SLUG, (PAGES / name).read_bytes())
        assert fetch.rejected_count == 0
        rows.update(by_id(fetch))
    assert len(rows) == 4
    llama = rows["@cf/meta/llama-3.3-70b-instruct-fp8-fast"]
    assert llama.prices.prompt == Decimal("0.000000293")
    assert llama.prices.completion == Decimal("0.000002253")
