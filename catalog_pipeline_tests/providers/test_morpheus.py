"""Morpheus: declared model types, no USD prices."""

from __future__ import annotations

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse


def test_morpheus_model_type_and_no_prices() -> None:
    body = (RECORDINGS / "morpheus/api/v1/models.json").read_bytes()
    rows = by_id(parse("morpheus", body))
    assert rows["glm-5"].model_type is ModelType.CHAT
    assert "glm-5:web" in rows
    assert rows["text-embedding-bge-m3"].model_type is ModelType.EMBEDDING
    assert all(r.prices.is_unpriced() and r.price_source == "none" for r in rows.values())


def test_morpheus_error_body_raises() -> None:
    with pytest.raises(ProviderError, match="Error fetching active models"):
        parse("morpheus", {"detail": "Error fetching active models: upstream down"})


def test_sample_recording_parses() -> None:
    fetch = parse("morpheus", (RECORDINGS / "morpheus/api/v1/models.json").read_bytes())
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == 3
