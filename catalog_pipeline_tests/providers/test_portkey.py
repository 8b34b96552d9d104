"""Portkey: the gateway's OpenAI-shaped model list, and its pricing configs in cents/token."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.providers.roster.portkey import pricing_config_prices
from catalog_pipeline.providers.spec import AuthStyle
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse

SLUG = "portkey"
SAMPLE = RECORDINGS / SLUG / "v1" / "models.json"


def test_list_is_openai_shaped_and_unpriced() -> None:
    body = {
        "object": "list",
        "data": [
            {
                "id": "@openai-prod/gpt-4o",
                "object": "model",
                "created": 1715367049,
                "owned_by": "openai",
            },
            {"id": "@openai-prod/text-embedding-3-small", "object": "model", "owned_by": "openai"},
        ],
    }
    rows = by_id(parse(SLUG, body))
    assert rows["@openai-prod/gpt-4o"].prices.is_unpriced()
    assert rows["@openai-prod/gpt-4o"].price_source == "none"
    assert rows["@openai-prod/gpt-4o"].publisher_hint == "openai"
    assert rows["@openai-prod/text-embedding-3-small"].model_type is ModelType.EMBEDDING


def test_auth_is_the_portkey_header() -> None:
    spec = get_provider(SLUG)
    assert spec.auth is AuthStyle.HEADER
    assert spec.auth_header == "x-portkey-api-key"
    assert spec.key_required
    assert spec.key_env_names[0] == "PORTKEY_API_KEY"


def test_error_body_with_status_200_raises() -> None:
    body = {"status": "failure", "error": {"message": "Invalid API Key", "type": "auth"}}
    with pytest.raises(ProviderError, match="Invalid API Key"):
        parse(SLUG, body)


def test_pricing_config_is_cents_per_token() -> None:
    entry = {
        "pricing_config": {
            "pay_as_you_go": {
                "request_token": {"price": Decimal("0.00025")},
                "response_token": {"price": Decimal("0.001")},
                "cache_read_input_token": {"price": Decimal("0.000125")},
                "cache_write_input_token": {"price": 0},
                "additional_units": {"web_search": {"price": 1}},
            }
        }
    }
    prices = pricing_config_prices(entry)
    assert prices.prompt == Decimal("0.0000025")
    assert prices.completion == Decimal("0.00001")
    assert prices.cache_read == Decimal("0.00000125")
    assert prices.cache_write == Decimal(0)
    assert prices.per_web_search is None


def test_pricing_config_without_rates_is_unknown() -> None:
    assert pricing_config_prices({}).is_unpriced()
    assert pricing_config_prices({"pricing_config": {"pay_as_you_go": {}}}).is_unpriced()


def test_sample_recording_parses() -> None:
    body = SAMPLE.read_bytes()
    fetch = parse(SLUG, body)
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(json.loads(body)["data"]) == 3


@pytest.mark.conformance
def test_conformance_every_portkey_pricing_entry_converts(real_payloads) -> None:
    merged = json.loads(
        (real_payloads / "peer__portkey_pricing_merged.json").read_bytes(), parse_float=Decimal
    )
    count = sum(len(entries) for entries in merged.values())
    converted = [pricing_config_prices(e) for f in merged.values() for e in f.values()]
    assert len(converted) == count == 3230
    token_rates = ("request_token", "response_token", "cache_read_input_token")
    token_rates += ("cache_write_input_token",)
    expected = sum(
        any(
            rate in ((e.get("pricing_config") or {}).get("pay_as_you_go") or {})
            for rate in token_rates
        )
        for f in merged.values()
        for e in f.values()
    )
    # The rest are per-image, per-second or per-unit entries (additional_units) or lack
    # a pricing_config; they stay unpriced rather than being read as tokens.
    assert sum(not p.is_unpriced() for p in converted) == expected == 3108


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("provider", "model", "prompt", "completion"),
    [
        ("openai", "gpt-4o", "0.0000025", "0.00001"),
        ("anthropic", "claude-sonnet-4-5-20250929", "0.000003", "0.000015"),
        ("groq", "llama-3.3-70b-versatile", "0.00000059", "0.00000079"),
    ],
)
def test_conformance_published_prices(
    real_payloads, provider: str, model: str, prompt: str, completion: str
) -> None:
    """Portkey's cents/token, converted, equal the publishers' own USD per-token prices."""
    merged = json.loads(
        (real_payloads / "peer__portkey_pricing_merged.json").read_bytes(), parse_float=Decimal
    )
    prices = pricing_config_prices(merged[provider][model])
    assert prices.prompt == Decimal(prompt)
    assert prices.completion == Decimal(completion)
