"""Z.ai: a plain OpenAI /v1/models list without prices (curated)."""

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
    row = parse("zai", body).rows[0]
    assert row.provider_model_id == "m-1"
    assert row.prices.is_unpriced()
    assert row.price_source == "none"


def test_error_body_with_status_200_fails() -> None:
    body = {"error": {"message": "Authentication Fails", "type": "authentication_error"}}
    with pytest.raises(ProviderError) as caught:
        parse("zai", body)
    assert caught.value.kind is FailureKind.ERROR_BODY


def test_free_only_where_the_provider_says_so() -> None:
    prices = get_provider("zai").curated_price("glm-4.5-flash").prices
    assert prices.prompt == Decimal(0)


def test_curated_prices_name_a_source_and_a_peer_cross_check() -> None:
    assert_curated_prices_cross_checked("zai")
