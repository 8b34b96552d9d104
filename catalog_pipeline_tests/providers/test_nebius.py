"""Nebius Token Factory: ?verbose=true, USD per token strings."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.client import ProviderClient
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.fetch import fetch_provider
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline_tests.providers.helpers import (
    by_id,
    parse,
    usd_per_million,
)


def test_nebius_asks_for_the_verbose_list() -> None:
    request = get_provider("nebius").first_request()
    assert request.path == "/v1/models"
    assert ("verbose", "true") in request.params


def test_nebius_verbose_prices_and_fast_variant_stays_its_own_row() -> None:
    base = {
        "id": "meta-llama/Llama-3.3-70B-Instruct",
        "created": 1733443200,
        "name": "Llama-3.3-70B-Instruct",
        "context_length": 131072,
        "architecture": {"modality": "text->text"},
        "pricing": {"prompt": "0.00000013", "completion": "0.0000004"},
    }
    fast = dict(
        base,
        id="meta-llama/Llama-3.3-70B-Instruct-fast",
        pricing={"prompt": "0.00000025", "completion": "0.00000075"},
    )
    rows = by_id(parse("nebius", {"data": [base, fast]}))
    assert usd_per_million(rows[base["id"]].prices.prompt) == Decimal("0.13")
    assert usd_per_million(rows[fast["id"]].prices.prompt) == Decimal("0.25")


def test_replayed_nebius_fetch_sends_verbose_query(replay_server) -> None:
    client = ProviderClient(require_api_keys=False)
    fetch = fetch_provider(client, get_provider("nebius"))
    assert len(fetch.rows) == 4
    assert any(r.query.get("verbose") == "true" for r in replay_server.requests)


def test_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError) as info:
        parse("nebius", {"error": {"message": "Invalid API key", "code": 401}})
    assert info.value.kind is FailureKind.ERROR_BODY
    assert "Invalid API key" in str(info.value)


@pytest.mark.conformance
def test_conformance_nebius_non_verbose(real_payloads) -> None:
    body = (real_payloads / "nebius__agent-zero_2026-03.json").read_bytes()
    fetch = parse("nebius", body)
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(json.loads(body)["data"]) == 46
    rows = by_id(fetch)
    assert all(row.prices.is_unpriced() for row in fetch.rows)
    assert "meta-llama/Llama-3.3-70B-Instruct-fast" in rows
    assert "meta-llama/Llama-3.3-70B-Instruct" in rows
    assert rows["BAAI/bge-en-icl"].model_type is ModelType.EMBEDDING
    assert rows["black-forest-labs/flux-dev"].model_type is ModelType.IMAGE
    assert rows["Qwen/Qwen3-235B-A22B-Instruct-2507"].model_type is ModelType.CHAT
