"""Moonshot AI: an OpenAI /v1/models list with context_length, no prices (curated)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline_tests.providers.helpers import (
    assert_curated_prices_cross_checked,
    by_id,
    parse,
)


def test_plain_list_is_unpriced() -> None:
    body = {"object": "list", "data": [{"id": "m-1", "object": "model", "owned_by": "x"}]}
    row = parse("moonshot", body).rows[0]
    assert row.provider_model_id == "m-1"
    assert row.prices.is_unpriced()
    assert row.price_source == "none"


def test_error_body_with_status_200_fails() -> None:
    body = {"error": {"message": "Authentication Fails", "type": "authentication_error"}}
    with pytest.raises(ProviderError) as caught:
        parse("moonshot", body)
    assert caught.value.kind is FailureKind.ERROR_BODY


def test_moonshot_context_length_is_mapped() -> None:
    body = {
        "data": [
            {
                "id": "kimi-k2-0905-preview",
                "object": "model",
                "created": 1757030400,
                "owned_by": "moonshot",
                "context_length": 262144,
            }
        ]
    }
    row = by_id(parse("moonshot", body))["kimi-k2-0905-preview"]
    assert row.context_length == 262_144
    assert row.created_at == dt.datetime(2025, 9, 5, tzinfo=dt.UTC)


def test_published_prices_become_usd_per_token() -> None:
    prices = get_provider("moonshot").curated_price("moonshot-v1-8k").prices
    assert prices.completion == Decimal("0.000002")


def test_curated_prices_name_a_source_and_a_peer_cross_check() -> None:
    assert_curated_prices_cross_checked("moonshot")


@pytest.mark.conformance
def test_conformance_real_payload(real_payloads) -> None:
    body = (real_payloads / "moonshot__starmap_2025-10-20.json").read_bytes()
    fetch = parse("moonshot", body)
    assert fetch.rejected_count == 0, fetch.rejected[:3]
    assert len(fetch.rows) == 9 == len(json.loads(body)["data"])
    assert all(row.prices.is_unpriced() for row in fetch.rows)
