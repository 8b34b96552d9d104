"""MiniMax: a plain OpenAI /v1/models list without prices (curated)."""

from __future__ import annotations

import pytest

from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline_tests.providers.helpers import (
    assert_curated_prices_cross_checked,
    parse,
)


def test_plain_list_is_unpriced() -> None:
    body = {"object": "list", "data": [{"id": "m-1", "object": "model", "owned_by": "x"}]}
    row = parse("minimax", body).rows[0]
    assert row.provider_model_id == "m-1"
    assert row.prices.is_unpriced()
    assert row.price_source == "none"


def test_error_body_with_status_200_fails() -> None:
    body = {"error": {"message": "Authentication Fails", "type": "authentication_error"}}
    with pytest.raises(ProviderError) as caught:
        parse("minimax", body)
    assert caught.value.kind is FailureKind.ERROR_BODY


def test_curated_prices_name_a_source_and_a_peer_cross_check() -> None:
    assert_curated_prices_cross_checked("minimax")
