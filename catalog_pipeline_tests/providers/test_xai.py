"""xAI /v1/language-models: integer prices in 1/10,000 USD per 1M tokens; {code, error} bodies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline_tests.providers.helpers import by_id, parse

GROK_4 = {
    "id": "grok-4-0709",
    "fingerprint": "fp_3a7881249c",
    "created": 1752019200,
    "object": "model",
    "owned_by": "xai",
    "version": "1.0.0",
    "input_modalities": ["text", "image"],
    "output_modalities": ["text"],
    "prompt_text_token_price": 30000,
    "cached_prompt_text_token_price": 7500,
    "prompt_image_token_price": 30000,
    "completion_text_token_price": 150000,
    "search_price": 0,
    "aliases": ["grok-4", "grok-4-latest"],
    "max_prompt_length": 256000,
}


def test_prices_are_ten_thousandths_of_a_dollar_per_million() -> None:
    row = by_id(parse("xai", {"models": [GROK_4]}))["grok-4-0709"]
    assert row.prices.prompt == Decimal("0.000003")  # $3 per 1M, as xAI publishes
    assert row.prices.completion == Decimal("0.000015")  # $15 per 1M
    assert row.prices.cache_read == Decimal("0.00000075")  # $0.75 per 1M
    assert row.price_source == "provider_api"
    assert row.context_length == 256_000
    assert row.input_modalities == ("text", "image")
    assert "vision" in row.capabilities
    assert row.model_type is ModelType.CHAT


def test_zero_or_missing_price_is_unknown() -> None:
    unset = dict(GROK_4, id="grok-x", prompt_text_token_price=0, completion_text_token_price=0)
    unset.pop("cached_prompt_text_token_price")
    row = by_id(parse("xai", {"models": [unset]}))["grok-x"]
    assert row.prices.is_unpriced()
    assert row.price_source == "none"


def test_float_price_is_rejected_not_rounded() -> None:
    fetch = parse(
        "xai", {"models": [GROK_4, dict(GROK_4, id="grok-bad", prompt_text_token_price=1.5)]}
    )
    assert [row.provider_model_id for row in fetch.rows] == ["grok-4-0709"]
    assert fetch.rejected_count == 1


def test_code_error_body_with_status_200_fails() -> None:
    body = {"code": "permission-denied", "error": "Your team has no credits."}
    with pytest.raises(ProviderError) as caught:
        parse("xai", body)
    assert caught.value.kind is FailureKind.ERROR_BODY
    assert "permission-denied" in str(caught.value)


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("xai-error__mediai_no_credits.json", "permission-denied"),
        ("xai-error__wayfwd_invalid_key.json", "Incorrect API key"),
    ],
)
def test_conformance_real_error_bodies_fail_the_partition(real_payloads, name, needle) -> None:
    with pytest.raises(ProviderError) as caught:
        parse("xai", (real_payloads / name).read_bytes())
    assert caught.value.kind is FailureKind.ERROR_BODY
    assert needle in str(caught.value)
