"""Alibaba Model Studio: a plain OpenAI /v1/models list without prices (curated)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline_tests.providers.helpers import (
    assert_curated_prices_cross_checked,
    parse,
)


def test_plain_list_is_unpriced() -> None:
    body = {"object": "list", "data": [{"id": "m-1", "object": "model", "owned_by": "x"}]}
    row = parse("alibaba", body).rows[0]
    assert row.provider_model_id == "m-1"
    assert row.prices.is_unpriced()
    assert row.price_source == "none"


def test_error_body_with_status_200_fails() -> None:
    body = {"error": {"message": "Authentication Fails", "type": "authentication_error"}}
    with pytest.raises(ProviderError) as caught:
        parse("alibaba", body)
    assert caught.value.kind is FailureKind.ERROR_BODY


def test_published_prices_become_usd_per_token() -> None:
    prices = get_provider("alibaba").curated_price("qwen-max").prices
    assert prices.prompt == Decimal("0.0000016")


def test_curated_prices_name_a_source_and_a_peer_cross_check() -> None:
    assert_curated_prices_cross_checked("alibaba")
