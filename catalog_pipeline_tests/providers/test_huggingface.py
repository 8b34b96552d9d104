"""Hugging Face router: USD/1M per upstream provider, one row per model, no silent merging."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse


def _upstream(name: str, inp: object, out: object, **extra: object) -> dict:
    entry = {"provider": name, "status": "live", "context_length": 131072, "is_free": False}
    if inp is not None:
        entry["pricing"] = {"input": inp, "output": out}
    return {**entry, **extra}


def _model(model_id: str, *providers: dict, outputs: tuple[str, ...] = ("text",)) -> dict:
    return {
        "id": model_id,
        "object": "model",
        "created": 1733425200,
        "owned_by": model_id.split("/")[0],
        "architecture": {"input_modalities": ["text"], "output_modalities": list(outputs)},
        "providers": list(providers),
    }


def test_shared_price_is_usd_per_million_converted_to_per_token() -> None:
    item = _model(
        "openai/gpt-oss-20b", _upstream("together", 0.05, 0.2), _upstream("fireworks-ai", 0.05, 0.2)
    )
    row = parse("huggingface", {"data": [item]}).rows[0]
    assert row.prices.prompt == Decimal("0.00000005")
    assert row.prices.completion == Decimal("0.0000002")
    assert row.price_source == "provider_api"


def test_different_prices_take_cheapest_and_say_so() -> None:
    item = _model(
        "meta-llama/Llama-3.3-70B-Instruct",
        _upstream("together", 0.88, 0.88),
        _upstream("groq", 0.59, 0.79),
        _upstream("fireworks-ai", 0.9, 0.9),
    )
    row = parse("huggingface", {"data": [item]}).rows[0]
    assert row.prices.prompt == Decimal("0.00000059")
    assert row.prices.completion == Decimal("0.00000079")
    assert "cheapest of 3" in row.price_source and "groq" in row.price_source


def test_zero_without_is_free_is_unknown_and_is_free_is_zero() -> None:
    unknown = _model("prism-ml/Bonsai", _upstream("together", 0, 0))
    free = _model("org/free-model", _upstream("hf-inference", None, None, is_free=True))
    rows = by_id(parse("huggingface", {"data": [unknown, free]}))
    assert rows["prism-ml/Bonsai"].prices.is_unpriced()
    assert rows["prism-ml/Bonsai"].price_source == "none"
    assert rows["org/free-model"].prices.prompt == Decimal(0)
    assert rows["org/free-model"].prices.completion == Decimal(0)


def test_only_live_providers_count_and_unpriced_live_ones_are_named() -> None:
    staging = _model("a/staging-only", _upstream("together", 1, 2, status="staging"))
    partial = _model(
        "a/partial", _upstream("together", 1, 4.05), _upstream("fireworks-ai", None, None)
    )
    rows = by_id(parse("huggingface", {"data": [staging, partial]}))
    assert rows["a/staging-only"].prices.is_unpriced()
    assert rows["a/partial"].prices.completion == Decimal("0.00000405")
    assert "fireworks-ai" in rows["a/partial"].price_source


def test_type_modalities_context_and_capabilities() -> None:
    item = _model(
        "Qwen/Qwen3-VL-8B-Instruct",
        _upstream("a", 1, 1, context_length=262144, supports_tools=True),
        _upstream("b", 1, 1, context_length=131072, supports_tools=False),
    )
    item["architecture"]["input_modalities"] = ["text", "image"]
    image = _model("black-forest-labs/FLUX.1-dev", _upstream("a", None, None), outputs=("image",))
    rows = by_id(parse("huggingface", {"data": [item, image]}))
    vl = rows["Qwen/Qwen3-VL-8B-Instruct"]
    assert vl.model_type is ModelType.CHAT
    assert vl.input_modalities == ("text", "image")
    assert vl.context_length == 131072
    assert "tools" not in vl.capabilities and "vision" in vl.capabilities
    assert rows["black-forest-labs/FLUX.1-dev"].model_type is ModelType.IMAGE


def test_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError, match="Invalid credentials"):
        parse("huggingface", {"error": "Invalid credentials in Authorization header"})


def test_sample_recording_parses() -> None:
    body = (RECORDINGS / "huggingface" / "v1" / "models.json").read_bytes()
    fetch = parse("huggingface", body)
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(json.loads(body)["data"])


@pytest.mark.conformance
def test_conformance_genai_prices_fixture(real_payloads) -> None:
    body = (real_payloads / "huggingface-router__genai-prices_fixture_trimmed.json").read_bytes()
    fetch = parse("huggingface", body)
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(json.loads(body)["data"]) == 4
    rows = by_id(fetch)
    kimi = rows["moonshotai/Kimi-K3"]
    assert kimi.prices.prompt == Decimal("0.000003")
    assert kimi.prices.completion == Decimal("0.000015")
    assert kimi.price_source == "provider_api"
    assert kimi.context_length == 1_000_000
    glm = rows["zai-org/GLM-5.2"]
    assert (glm.prices.prompt, glm.prices.completion) == (
        Decimal("0.0000014"),
        Decimal("0.0000044"),
    )
    inkling = rows["thinkingmachines/Inkling"]
    assert inkling.prices.completion == Decimal("0.00000405")
    assert "fireworks-ai" in inkling.price_source
    assert rows["prism-ml/Ternary-Bonsai-27B-gguf"].prices.is_unpriced()
