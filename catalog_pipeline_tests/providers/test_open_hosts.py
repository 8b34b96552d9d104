"""Open-model hosts: DeepInfra, Novita, Chutes, Cerebras, Nebius, Fireworks, Featherless."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.curated_prices import curated_prices
from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.client import ProviderClient
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.fetch import fetch_provider
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline_tests.providers.helpers import by_id, parse, usd_per_million

MY_SLUGS = ("deepinfra", "novita", "chutes", "featherless", "fireworks", "cerebras", "nebius")


# --- DeepInfra: metadata.pricing in USD per 1M -----------------------------------------

DEEPINFRA_LLM = {
    "id": "Qwen/Qwen3.5-27B",
    "object": "model",
    "created": 0,
    "owned_by": "deepinfra",
    "root": "Qwen/Qwen3.5-27B",
    "parent": None,
    "metadata": {
        "description": "Qwen3.5-27B",
        "context_length": 262144,
        "max_tokens": 262144,
        "pricing": {"input_tokens": 0.26, "output_tokens": 2.5999999999999996},
        "tags": ["vision", "reasoning_effort"],
    },
}


def _deepinfra(*items: dict) -> bytes:
    # Raw JSON text so numbers keep their float-noise spelling on the wire.
    return json.dumps({"object": "list", "data": list(items)}).encode()


def test_deepinfra_prices_are_usd_per_million_with_float_noise_removed() -> None:
    row = by_id(parse("deepinfra", _deepinfra(DEEPINFRA_LLM)))["Qwen/Qwen3.5-27B"]
    assert row.prices.prompt == Decimal("0.00000026")
    assert row.prices.completion == Decimal("0.0000026")
    assert row.prices.cache_read is None
    assert row.context_length == 262144
    assert row.model_type is ModelType.CHAT
    assert row.input_modalities == ("text", "image")
    assert set(row.capabilities) == {"vision", "reasoning"}
    assert row.publisher_hint == "Qwen"
    assert row.created_at is None  # created: 0 is "not given"
    assert row.price_source == "provider_api"


def test_deepinfra_null_metadata_is_unpriced_and_not_chat() -> None:
    embed = {"id": "BAAI/bge-m3", "object": "model", "created": 0, "metadata": None}
    edit = {"id": "Bria/erase", "object": "model", "created": 0, "metadata": None}
    rows = by_id(parse("deepinfra", _deepinfra(embed, edit)))
    assert rows["BAAI/bge-m3"].prices.is_unpriced()
    assert rows["BAAI/bge-m3"].price_source == "none"
    assert rows["BAAI/bge-m3"].model_type is ModelType.EMBEDDING
    assert rows["Bria/erase"].model_type is ModelType.OTHER


def test_deepinfra_all_zero_is_unknown_not_free() -> None:
    zero = dict(
        DEEPINFRA_LLM, id="x/zero", metadata={"pricing": {"input_tokens": 0, "output_tokens": 0}}
    )
    row = parse("deepinfra", _deepinfra(zero)).rows[0]
    assert row.prices.prompt is None and row.prices.completion is None


def test_deepinfra_bad_price_is_rejected_and_counted() -> None:
    bad = dict(DEEPINFRA_LLM, id="x/bad", metadata={"pricing": {"input_tokens": "abc"}})
    fetch = parse("deepinfra", _deepinfra(DEEPINFRA_LLM, bad))
    assert len(fetch.rows) == 1
    assert fetch.rejected_count == 1
    assert fetch.rejected[0].provider_model_id == "x/bad"


@pytest.mark.parametrize("slug", MY_SLUGS)
def test_error_body_with_status_200_raises(slug: str) -> None:
    with pytest.raises(ProviderError) as info:
        parse(slug, {"error": {"message": "Invalid API key", "code": 401}})
    assert info.value.kind is FailureKind.ERROR_BODY
    assert "Invalid API key" in str(info.value)


# --- Novita: integers in 1/10,000 USD per 1M -------------------------------------------

NOVITA_CHAT = {
    "created": 1733560109,
    "id": "meta-llama/llama-3.3-70b-instruct",
    "object": "model",
    "input_token_price_per_m": 3900,
    "output_token_price_per_m": 3900,
    "title": "meta-llama/llama-3.3-70b-instruct",
    "display_name": "Llama 3.3 70B Instruct",
    "context_size": 131072,
    "max_output_tokens": 120000,
    "model_type": "chat",
    "features": ["function-calling", "reasoning"],
    "input_modalities": ["text"],
    "output_modalities": ["text"],
    "status": 1,
}


def test_novita_prices_are_ten_thousandths_of_usd_per_million() -> None:
    # Novita's own docs example: 3900 for Llama 3.3 70B, which it sold at $0.39/M.
    row = parse("novita", {"data": [NOVITA_CHAT]}).rows[0]
    assert usd_per_million(row.prices.prompt) == Decimal("0.39")
    assert row.prices.prompt == Decimal("0.00000039")
    assert row.name == "Llama 3.3 70B Instruct"
    assert row.context_length == 131072
    assert row.max_output_tokens == 120000
    assert row.capabilities == ("tools", "reasoning")


def test_novita_declared_type_wins() -> None:
    embed = dict(
        NOVITA_CHAT,
        id="baai/bge-m3",
        model_type="embedding",
        input_token_price_per_m=100,
        output_token_price_per_m=100,
        output_modalities=["embedding"],
    )
    row = parse("novita", {"data": [embed]}).rows[0]
    assert row.model_type is ModelType.EMBEDDING
    assert row.output_modalities == ("embedding",)
    assert usd_per_million(row.prices.prompt) == Decimal("0.01")


# --- Chutes: pricing.* in USD per 1M ---------------------------------------------------


def test_chutes_prices_and_features() -> None:
    item = {
        "id": "Qwen/Qwen3-32B-TEE",
        "created": 1745884800,
        "pricing": {"prompt": 0.104, "completion": 0.416, "input_cache_read": 0.052},
        "context_length": 40960,
        "max_output_length": 40960,
        "input_modalities": ["text"],
        "output_modalities": ["text"],
        "supported_features": ["json_mode", "tools", "structured_outputs", "reasoning"],
    }
    row = parse("chutes", {"data": [item]}).rows[0]
    assert usd_per_million(row.prices.prompt) == Decimal("0.104")
    assert usd_per_million(row.prices.completion) == Decimal("0.416")
    assert usd_per_million(row.prices.cache_read) == Decimal("0.052")
    assert row.capabilities == ("tools", "reasoning", "structured_outputs", "json_mode")
    assert row.max_output_tokens == 40960


def test_chutes_model_without_pricing_is_unknown() -> None:
    row = parse("chutes", {"data": [{"id": "org/model-TEE", "created": 1}]}).rows[0]
    assert row.prices.is_unpriced()


# --- Cerebras public list: USD per token strings ----------------------------------------


def test_cerebras_public_prices_are_usd_per_token_strings() -> None:
    item = {
        "id": "gemma-4-31b",
        "owned_by": "Google",
        "name": "Gemma 4 31B",
        "pricing": {"prompt": "0.00000099", "completion": "0.00000149"},
        "capabilities": {"vision": True, "tools": True, "reasoning": True, "streaming": True},
        "architecture": {"modality": "text+vision"},
        "limits": {"max_context_length": 131072, "max_completion_tokens": 40960},
        "deprecated": False,
    }
    row = parse("cerebras", {"object": "list", "data": [item]}).rows[0]
    assert row.prices.prompt == Decimal("0.00000099")
    assert row.prices.completion == Decimal("0.00000149")
    assert row.input_modalities == ("text", "image")
    assert row.output_modalities == ("text",)
    assert row.capabilities == ("tools", "reasoning", "vision")
    assert row.publisher_hint == "Google"
    assert (row.context_length, row.max_output_tokens) == (131072, 40960)


# --- Nebius: ?verbose=true, USD per token strings ---------------------------------------


def test_nebius_asks_for_the_verbose_list() -> None:
    from catalog_pipeline.providers.families import api_for

    request = api_for(get_provider("nebius")).first_request(get_provider("nebius"))
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
    client = ProviderClient(base_url_override=replay_server.url, require_api_keys=False)
    fetch = fetch_provider(client, get_provider("nebius"))
    assert len(fetch.rows) == 4
    assert any(r.query.get("verbose") == "true" for r in replay_server.requests)


# --- Fireworks: no prices in the list, curated ------------------------------------------


def test_fireworks_list_has_no_prices_and_types_from_its_flags() -> None:
    items = [
        {
            "id": "accounts/fireworks/models/gpt-oss-120b",
            "supports_chat": True,
            "supports_tools": True,
            "supports_image_input": False,
            "context_length": 131072,
        },
        {"id": "accounts/fireworks/models/some-base-7b", "supports_chat": False},
        {
            "id": "accounts/fireworks/models/kimi-k2p6",
            "supports_chat": True,
            "supports_image_input": True,
        },
    ]
    rows = by_id(parse("fireworks", {"object": "list", "data": items}))
    chat = rows["accounts/fireworks/models/gpt-oss-120b"]
    assert chat.prices.is_unpriced() and chat.price_source == "none"
    assert chat.capabilities == ("tools",)
    assert chat.publisher_hint is None
    assert rows["accounts/fireworks/models/some-base-7b"].model_type is ModelType.COMPLETION
    assert rows["accounts/fireworks/models/kimi-k2p6"].input_modalities == ("text", "image")


def test_fireworks_curated_prices_are_per_token() -> None:
    entry = curated_prices()[("fireworks", "accounts/fireworks/models/gpt-oss-120b")]
    assert entry.prices.prompt == Decimal("0.00000015")
    assert entry.prices.completion == Decimal("0.0000006")
    assert entry.source_url.startswith("https://fireworks.ai/")


# --- Featherless: subscription, no prices, very large list ------------------------------


def test_featherless_rows_are_unpriced_chat_models() -> None:
    item = {
        "id": "vicgalle/Roleplay-Llama-3-8B",
        "name": "vicgalle/Roleplay-Llama-3-8B",
        "model_class": "llama3-8b-8k",
        "context_length": 8192,
        "max_completion_tokens": 4096,
    }
    row = parse("featherless", {"data": [item]}).rows[0]
    assert row.prices.is_unpriced()
    assert row.price_source == "none"
    assert (row.context_length, row.max_output_tokens) == (8192, 4096)
    assert row.model_type is ModelType.CHAT


def test_featherless_parses_a_full_size_list() -> None:
    items = [
        {
            "id": f"org{i % 97}/model-{i}",
            "name": f"org/model-{i}",
            "model_class": "llama3-8b-8k",
            "context_length": 8192,
            "max_completion_tokens": 4096,
        }
        for i in range(18_000)
    ]
    fetch = parse("featherless", {"data": items})
    assert len(fetch.rows) == 18_000
    assert fetch.rejected_count == 0


def test_featherless_item_without_id_is_rejected() -> None:
    fetch = parse("featherless", {"data": [{"id": "a/b"}, {"name": "no id"}]})
    assert len(fetch.rows) == 1 and fetch.rejected_count == 1


# --- Conformance over the real recorded payloads ----------------------------------------


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("name", "count"),
    [("deepinfra__agent-zero_2026-03-01.json", 142), ("deepinfra__multichat_2026-04-17.json", 154)],
)
def test_conformance_deepinfra(real_payloads, name: str, count: int) -> None:
    body = (real_payloads / name).read_bytes()
    fetch = parse("deepinfra", body)
    assert fetch.rejected_count == 0, fetch.rejected[:3]
    assert len(fetch.rows) == count == len(json.loads(body)["data"])
    rows = by_id(fetch)
    llama = rows["meta-llama/Meta-Llama-3.1-8B-Instruct"]
    assert usd_per_million(llama.prices.prompt) == Decimal("0.02")
    assert usd_per_million(llama.prices.completion) == Decimal("0.05")
    v32 = rows["deepseek-ai/DeepSeek-V3.2"]
    assert usd_per_million(v32.prices.cache_read) == Decimal("0.13")
    # Rows with metadata: null (embeddings, image models) are listed but unpriced.
    nulls = [i["id"] for i in json.loads(body)["data"] if i["metadata"] is None]
    assert nulls and all(rows[i].prices.is_unpriced() for i in nulls)
    assert all(rows[i].model_type is not ModelType.CHAT for i in nulls)


@pytest.mark.conformance
def test_conformance_deepinfra_float_noise(real_payloads) -> None:
    rows = by_id(
        parse("deepinfra", (real_payloads / "deepinfra__multichat_2026-04-17.json").read_bytes())
    )
    # Wire: 2.5999999999999996 and 0.12000000000000001 (USD per 1M).
    assert usd_per_million(rows["Qwen/Qwen3.5-27B"].prices.completion) == Decimal("2.6")
    assert usd_per_million(rows["Qwen/Qwen2.5-72B-Instruct"].prices.prompt) == Decimal("0.12")


@pytest.mark.conformance
def test_conformance_novita_2024(real_payloads) -> None:
    # The fixture is the bare data[] array (its author stripped the {"data": ...} wrapper).
    items = json.loads(
        (real_payloads / "novita__lobechat_fixture_2024_data_array.json").read_bytes()
    )
    fetch = parse("novita", {"data": items})
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(items) == 18
    rows = by_id(fetch)
    # Novita's July 2024 published prices: Llama 3 70B $0.55/$0.76, Gemma 2 9B $0.08 per 1M.
    assert usd_per_million(rows["meta-llama/llama-3-70b-instruct"].prices.prompt) == Decimal("0.55")
    assert usd_per_million(rows["meta-llama/llama-3-70b-instruct"].prices.completion) == Decimal(
        "0.76"
    )
    assert usd_per_million(rows["google/gemma-2-9b-it"].prices.prompt) == Decimal("0.08")
    assert rows["meta-llama/llama-3-8b-instruct"].prices.prompt == Decimal("0.000000063")


@pytest.mark.conformance
def test_conformance_chutes_platform_listing_is_not_the_model_list(real_payloads) -> None:
    body = (real_payloads / "chutes-platform__llm-workload_2025-10.json").read_bytes()
    with pytest.raises(ProviderError) as info:
        parse("chutes", body)
    assert info.value.kind is FailureKind.PAYLOAD
    assert "'data' array" in str(info.value)


@pytest.mark.conformance
def test_conformance_cerebras_public(real_payloads) -> None:
    fetch = parse(
        "cerebras",
        (real_payloads / "cerebras-public__ai-pricelog_fixture_trimmed.json").read_bytes(),
    )
    assert fetch.rejected_count == 0 and len(fetch.rows) == 2
    oss = by_id(fetch)["gpt-oss-120b"]
    assert usd_per_million(oss.prices.prompt) == Decimal("0.35")
    assert usd_per_million(oss.prices.completion) == Decimal("0.75")


@pytest.mark.conformance
def test_conformance_cerebras_bare_v1_list_has_no_prices(real_payloads) -> None:
    fetch = parse("cerebras", (real_payloads / "cerebras__starmap_2025-09-11.json").read_bytes())
    assert fetch.rejected_count == 0 and len(fetch.rows) == 9
    assert all(row.prices.is_unpriced() for row in fetch.rows)


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
