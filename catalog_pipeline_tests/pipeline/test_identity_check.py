"""The blocking ERROR check ``one_price_per_canonical_id`` on ``normalized_models``."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import dagster as dg
import pytest

from catalog_pipeline.domain.rows import Prices, ProviderModel
from catalog_pipeline.pipeline.checks import one_price_per_canonical_id
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.pipeline.snapshot import NormalizedSnapshot
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline_tests.pipeline.harness import check_results, sync_partition
from catalog_pipeline_tests.providers.helpers import parse


def snapshot(provider: str, *listed: tuple[str, str]) -> NormalizedSnapshot:
    rows = [
        ProviderModel(provider_model_id=model_id, prices=Prices(prompt=Decimal(prompt)))
        for model_id, prompt in listed
    ]
    return NormalizedSnapshot(
        provider=provider, snapshot_id=1, offers=normalize_rows(get_provider(provider), rows)
    )


def test_two_prices_under_one_canonical_id_fail_with_error() -> None:
    merged = snapshot(
        "openrouter",
        ("qwen/qwen2.5-vl-72b-instruct", "0.0000007"),
        ("qwen/qwen-2.5-vl-72b-instruct", "0.0000006"),
    )
    outcome = one_price_per_canonical_id(merged)
    assert not outcome.passed and outcome.severity == "ERROR" and outcome.blocks
    assert "alibaba/qwen2.5-vl-72b-instruct" in outcome.summary
    assert "0.0000007" in outcome.summary and "0.0000006" in outcome.summary
    assert outcome.metadata["merged_count"] == 1


def test_spellings_of_one_price_and_dated_snapshots_pass() -> None:
    same_price = snapshot(
        "openrouter",
        ("qwen/qwen2.5-vl-72b-instruct", "0.0000007"),
        ("qwen/qwen-2.5-vl-72b-instruct", "0.0000007"),
    )
    assert one_price_per_canonical_id(same_price).passed
    # The identity rules of version 1 merged these two (one canonical id, two prices).
    snapshots = snapshot("openai", ("gpt-4o", "0.0000025"), ("gpt-4o-2024-05-13", "0.000005"))
    assert one_price_per_canonical_id(snapshots).passed


@pytest.mark.conformance
def test_the_real_openrouter_list_of_april_2025_is_caught(real_payloads) -> None:
    """OpenRouter listed both spellings of Qwen2.5 VL 72B at different prices that day."""
    body = (real_payloads / "openrouter__roocode_nock_2025-04-24.json").read_bytes()
    offers = normalize_rows(get_provider("openrouter"), parse("openrouter", body).rows)
    outcome = one_price_per_canonical_id(
        NormalizedSnapshot(provider="openrouter", snapshot_id=1, offers=offers)
    )
    assert not outcome.passed
    assert outcome.metadata["merged_count"] == 1
    assert "alibaba/qwen2.5-vl-72b-instruct" in outcome.summary


def test_a_merge_blocks_the_providers_write(database_url, replay_server) -> None:
    recording = replay_server.root / "together" / "v1" / "models.json"
    with dg.instance_for_test() as instance:
        assert sync_partition(instance, database_url, replay_server, "together").success
        models = json.loads(recording.read_text())
        twin = copy.deepcopy(models[0])
        twin["id"] = "meta-llama/llama-3.3-70b-instruct-turbo"  # same model, lower case
        twin["pricing"]["input"] = 0.1
        recording.write_text(json.dumps([*models, twin]))
        result = sync_partition(instance, database_url, replay_server, "together")
    assert not result.success
    check = check_results(result)["one_price_per_canonical_id"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    stored = CatalogStore(database_url=database_url).offers()
    together = {r["provider_model_id"]: r["prompt"] for r in stored if r["provider"] == "together"}
    assert "meta-llama/llama-3.3-70b-instruct-turbo" not in together
    assert together["meta-llama/Llama-3.3-70B-Instruct-Turbo"] == Decimal("0.00000088")
