"""Modelz: the account's deployments, disabled by default, parsed strictly."""

from __future__ import annotations

import pytest

from catalog_pipeline.providers.registry import get_provider, provider_slugs
from catalog_pipeline_tests.providers.helpers import parse


def test_modelz_is_registered_disabled_and_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODELZ_USER", "someone")
    assert get_provider("modelz").enabled is False
    assert "modelz" not in provider_slugs()
    ok = [{"spec": {"name": "llm-demo", "id": "1"}, "status": {}}]
    assert parse("modelz", ok).rows[0].provider_model_id == "llm-demo"
    bad = parse("modelz", [{"status": {}}, {"spec": {"name": "x"}}])
    assert bad.rejected_count == 1 and len(bad.rows) == 1
