"""AkashChat: a plain OpenAI list without prices."""

from __future__ import annotations

from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import parse


def test_sample_recording_parses() -> None:
    fetch = parse("akash", (RECORDINGS / "akash/api/v1/models.json").read_bytes())
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == 3


def test_unpriced_openai_lists_are_unknown_not_free() -> None:
    rows = parse("akash", (RECORDINGS / "akash/api/v1/models.json").read_bytes()).rows
    assert all(r.prices.is_unpriced() for r in rows)
