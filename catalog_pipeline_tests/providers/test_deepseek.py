"""DeepSeek: a plain OpenAI /v1/models list without prices (curated)."""

from __future__ import annotations

import json

import pytest

from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline_tests.providers.helpers import (
    assert_curated_prices_cross_checked,
    by_id,
    parse,
)


def test_plain_list_is_unpriced() -> None:
    body = {"object": "list", "data": [{"id": "m-1", "object": "model", "owned_by": "x"}]}
    row = parse("deepseek", body).rows[0]
    assert row.provider_model_id == "m-1"
    assert row.prices.is_unpriced()
    assert row.price_source == "none"


def test_error_body_with_status_200_fails() -> None:
    body = {"error": {"message": "Authentication Fails", "type": "authentication_error"}}
    with pytest.raises(ProviderError) as caught:
        parse("deepseek", body)
    assert caught.value.kind is FailureKind.ERROR_BODY


def test_curated_prices_name_a_source_and_a_peer_cross_check() -> None:
    assert_curated_prices_cross_checked("deepseek")


@pytest.mark.conformance
def test_conformance_real_payload(real_payloads) -> None:
    body = (real_payloads / "deepseek__starmap_2025-09-11.json").read_bytes()
    fetch = parse("deepseek", body)
    assert fetch.rejected_count == 0, fetch.rejected[:3]
    assert len(fetch.rows) == 2 == len(json.loads(body)["data"])
    assert all(row.prices.is_unpriced() for row in fetch.rows)


@pytest.mark.conformance
def test_conformance_deepseek_has_no_created(real_payloads) -> None:
    rows = by_id(
        parse("deepseek", (real_payloads / "deepseek__starmap_2025-09-11.json").read_bytes())
    )
    assert set(rows) == {"deepseek-chat", "deepseek-reasoner"}
    assert rows["deepseek-chat"].created_at is None
    assert rows["deepseek-chat"].publisher_hint == "deepseek"
