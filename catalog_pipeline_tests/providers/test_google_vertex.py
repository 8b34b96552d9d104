"""Vertex AI publisher models: the resource wrapper dropped, a required project, no prices."""

from __future__ import annotations

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline_tests.providers.helpers import (
    assert_curated_prices_cross_checked,
    by_id,
    parse,
)


@pytest.fixture
def vertex_project(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("GOOGLE_VERTEX_PROJECT", "my-project")
    return "my-project"


def test_vertex_ids_lose_the_resource_wrapper(vertex_project: str) -> None:
    body = {
        "publisherModels": [
            {"name": "publishers/google/models/gemini-2.5-pro", "launchStage": "GA"},
            {"name": "publishers/google/models/text-embedding-005"},
        ]
    }
    rows = by_id(parse("google-vertex", body))
    assert rows["gemini-2.5-pro"].publisher_hint == "google"
    assert rows["gemini-2.5-pro"].model_type is ModelType.CHAT
    assert rows["text-embedding-005"].model_type is ModelType.EMBEDDING


def test_vertex_project_is_required_and_sent_as_user_project(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = get_provider("google-vertex")
    monkeypatch.delenv("GOOGLE_VERTEX_PROJECT", raising=False)
    monkeypatch.delenv("CATALOG_PROVIDER_BASE_URL", raising=False)
    with pytest.raises(ProviderError) as caught:
        spec.first_request()
    assert caught.value.kind is FailureKind.NOT_CONFIGURED
    assert "GOOGLE_VERTEX_PROJECT" in str(caught.value)
    monkeypatch.setenv("GOOGLE_VERTEX_PROJECT", "p1")
    first = spec.first_request()
    assert first.params == (("$userProject", "p1"),)
    following = spec.next_request({"nextPageToken": "t2"}, first, 100)
    assert following is not None
    assert following.params == (("$userProject", "p1"), ("pageToken", "t2"))
    assert spec.next_request({}, following, 10) is None


def test_vertex_error_body_fails(vertex_project: str) -> None:
    body = {"error": {"code": 403, "message": "Permission denied", "status": "PERMISSION_DENIED"}}
    with pytest.raises(ProviderError) as caught:
        parse("google-vertex", body)
    assert caught.value.kind is FailureKind.ERROR_BODY


def test_curated_prices_name_a_source_and_a_peer_cross_check() -> None:
    assert_curated_prices_cross_checked("google-vertex")
