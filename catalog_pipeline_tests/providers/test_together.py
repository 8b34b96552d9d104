"""Together: a bare JSON array, USD per 1M tokens only for token-billed types."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse


def test_sample_recording_prices_per_million_for_token_billed_types() -> None:
    rows = by_id(parse("together", (RECORDINGS / "together/v1/models.json").read_bytes()))
    assert len(rows) == 7
    llama = rows["meta-llama/Llama-3.3-70B-Instruct-Turbo"]
    assert (llama.prices.prompt, llama.prices.completion) == (
        Decimal("0.00000088"),
        Decimal("0.00000088"),
    )
    assert (llama.context_length, llama.publisher_hint) == (131_072, "Meta")
    assert llama.price_source == "provider_api"
    guard = rows["meta-llama/Llama-Guard-3-11B-Vision-Turbo"]
    assert guard.model_type is ModelType.MODERATION
    assert guard.prices.prompt == Decimal("0.00000018")  # wire: 0.18000000000000002
    assert rows["BAAI/bge-large-en-v1.5"].prices.prompt == Decimal("0.00000002")


def test_zero_is_free_only_when_the_id_says_so() -> None:
    rows = by_id(parse("together", (RECORDINGS / "together/v1/models.json").read_bytes()))
    free = rows["meta-llama/Llama-3.3-70B-Instruct-Turbo-Free"]
    assert (free.prices.prompt, free.prices.completion) == (Decimal(0), Decimal(0))


def test_image_and_audio_prices_are_not_token_prices() -> None:
    rows = by_id(parse("together", (RECORDINGS / "together/v1/models.json").read_bytes()))
    schnell = rows["black-forest-labs/FLUX.1-schnell"]
    assert schnell.model_type is ModelType.IMAGE and schnell.prices.is_unpriced()
    sonic = rows["cartesia/sonic-2"]  # input 65 is per 1M characters
    assert sonic.model_type is ModelType.AUDIO and sonic.prices.is_unpriced()
    assert sonic.context_length is None


def test_an_object_instead_of_the_array_fails() -> None:
    with pytest.raises(ProviderError) as caught:
        parse("together", {"data": []})
    assert caught.value.kind is FailureKind.PAYLOAD


@pytest.mark.conformance
def test_conformance_real_payload(real_payloads) -> None:
    fetch = parse("together", (real_payloads / "together__mch-research_2026-01.json").read_bytes())
    assert fetch.rejected_count == 0, fetch.rejected[:3]
    assert len(fetch.rows) == 131
    rows = by_id(fetch)
    v31 = rows["deepseek-ai/DeepSeek-V3.1"]
    assert (v31.prices.prompt, v31.prices.completion) == (
        Decimal("0.0000006"),
        Decimal("0.0000017"),
    )
    assert rows["togethercomputer/MoA-1"].prices.is_unpriced()  # 0/0 without a free id
    assert rows["black-forest-labs/FLUX.1-schnell"].prices.is_unpriced()
