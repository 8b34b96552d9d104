"""Simplismart: a plain OpenAI list without prices."""

from __future__ import annotations

from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import parse


def test_sample_recording_parses() -> None:
    fetch = parse("simplismart", (RECORDINGS / "simplismart/v1/models.json").read_bytes())
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == 2
