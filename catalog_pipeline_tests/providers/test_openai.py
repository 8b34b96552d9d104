"""OpenAI: the plain /v1/models list (shutdown_date read), prices from the curated rows."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import (
    assert_curated_prices_cross_checked,
    by_id,
    parse,
)


def test_sample_recording_types_dates_and_no_prices() -> None:
    rows = by_id(parse("openai", (RECORDINGS / "openai/v1/models.json").read_bytes()))
    assert len(rows) == 7
    assert rows["gpt-3.5-turbo"].deprecation_date == dt.date(2026, 10, 23)
    assert rows["gpt-4o"].deprecation_date is None
    assert rows["gpt-4o"].publisher_hint == "system"
    assert rows["gpt-4o"].created_at == dt.datetime(2024, 5, 10, 18, 50, 49, tzinfo=dt.UTC)
    assert rows["text-embedding-3-small"].model_type is ModelType.EMBEDDING
    assert rows["whisper-1"].model_type is ModelType.TRANSCRIPTION
    assert rows["gpt-image-1"].model_type is ModelType.IMAGE
    assert all(row.prices.is_unpriced() and row.price_source == "none" for row in rows.values())


def test_curated_prices_are_usd_per_million_converted_to_per_token() -> None:
    gpt_4o = get_provider("openai").curated_price("gpt-4o").prices
    assert (gpt_4o.prompt, gpt_4o.completion, gpt_4o.cache_read) == (
        Decimal("0.0000025"),
        Decimal("0.00001"),
        Decimal("0.00000125"),
    )
    embedding = get_provider("openai").curated_price("text-embedding-3-small").prices
    assert embedding.prompt == Decimal("0.00000002")
    assert embedding.completion == Decimal(0)


def test_normalization_prices_exact_ids_only() -> None:
    """The curated row of ``gpt-4o`` prices ``gpt-4o``; its dated snapshot stays unpriced."""
    rows = parse("openai", (RECORDINGS / "openai/v1/models.json").read_bytes()).rows
    offers = {o.provider_model_id: o for o in normalize_rows(get_provider("openai"), rows)}
    assert offers["gpt-4o"].prices.prompt == Decimal("0.0000025")
    assert offers["gpt-4o"].price_source == (
        "curated:https://openai.com/api/pricing (checked 2026-11-23)"
    )
    assert offers["gpt-4o-2024-05-13"].prices.is_unpriced()
    assert offers["gpt-4o-2024-05-13"].price_source == "none"


def test_curated_prices_name_a_source_and_a_peer_cross_check() -> None:
    assert_curated_prices_cross_checked("openai")


def test_error_body_with_status_200_fails() -> None:
    body = {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
    with pytest.raises(ProviderError) as caught:
        parse("openai", body)
    assert caught.value.kind is FailureKind.ERROR_BODY


@pytest.mark.conformance
def test_conformance_real_payload_with_shutdown_dates(real_payloads) -> None:
    body = (real_payloads / "openai__starmap_2026-08-17.json").read_bytes()
    fetch = parse("openai", body)
    assert fetch.rejected_count == 0, fetch.rejected[:3]
    assert len(fetch.rows) == 118 == len(json.loads(body)["data"])
    rows = by_id(fetch)
    assert rows["gpt-3.5-turbo"].deprecation_date == dt.date(2026, 10, 23)
    assert rows["davinci-002"].deprecation_date == dt.date(2026, 9, 28)
    assert rows["text-embedding-ada-002"].deprecation_date is None
