"""DeepSeek, Moonshot, Z.ai, Alibaba and MiniMax: plain OpenAI /v1/models lists without prices."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline_tests.providers.helpers import by_id, parse

SLUGS = ("deepseek", "moonshot", "zai", "alibaba", "minimax")


@pytest.mark.parametrize("slug", SLUGS)
def test_plain_list_is_unpriced(slug: str) -> None:
    body = {"object": "list", "data": [{"id": "m-1", "object": "model", "owned_by": "x"}]}
    row = parse(slug, body).rows[0]
    assert row.provider_model_id == "m-1"
    assert row.prices.is_unpriced()
    assert row.price_source == "none"


@pytest.mark.parametrize("slug", SLUGS)
def test_error_body_with_status_200_fails(slug: str) -> None:
    body = {"error": {"message": "Authentication Fails", "type": "authentication_error"}}
    with pytest.raises(ProviderError) as caught:
        parse(slug, body)
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


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("slug", "name", "count"),
    [
        ("deepseek", "deepseek__starmap_2025-09-11.json", 2),
        ("moonshot", "moonshot__starmap_2025-10-20.json", 9),
    ],
)
def test_conformance_real_payloads(real_payloads, slug: str, name: str, count: int) -> None:
    body = (real_payloads / name).read_bytes()
    fetch = parse(slug, body)
    assert fetch.rejected_count == 0, fetch.rejected[:3]
    assert len(fetch.rows) == count == len(json.loads(body)["data"])
    assert all(row.prices.is_unpriced() for row in fetch.rows)


@pytest.mark.conformance
def test_conformance_deepseek_has_no_created(real_payloads) -> None:
    rows = by_id(
        parse("deepseek", (real_payloads / "deepseek__starmap_2025-09-11.json").read_bytes())
    )
    assert set(rows) == {"deepseek-chat", "deepseek-reasoner"}
    assert rows["deepseek-chat"].created_at is None
    assert rows["deepseek-chat"].publisher_hint == "deepseek"
