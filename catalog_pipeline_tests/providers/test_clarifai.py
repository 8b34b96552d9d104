"""Clarifai: /v2/models page/per_page, status.code errors in 200 bodies, resource-path ids."""

from __future__ import annotations

import json

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.client import ProviderClient
from catalog_pipeline.providers.dialect import PageRequest
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.fetch import fetch_provider
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.providers.roster.clarifai import PER_PAGE
from catalog_pipeline_tests.providers.helpers import by_id, parse

SLUG = "clarifai"
OK = {"code": 10000, "description": "Ok", "req_id": "abc"}


def _model(user: str, app: str, model_id: str, type_id: str) -> dict:
    return {
        "id": model_id,
        "name": model_id,
        "user_id": user,
        "app_id": app,
        "model_type_id": type_id,
        "created_at": "2025-08-05T18:10:00.000000Z",
        "visibility": {"gettable": 50},
    }


def test_id_is_the_resource_path_and_type_comes_from_model_type_id() -> None:
    body = {
        "status": OK,
        "models": [
            _model("openai", "chat-completion", "gpt-oss-120b", "text-to-text"),
            _model("clarifai", "main", "mm-poly-8b", "multimodal-to-text"),
            _model("stability-ai", "stable-diffusion-2", "stable-diffusion-xl", "text-to-image"),
            _model("clarifai", "main", "general-image-recognition", "visual-classifier"),
            _model("someone", "app", "mystery", "brand-new-type"),
        ],
    }
    rows = by_id(parse(SLUG, body))
    llm = rows["openai/chat-completion/models/gpt-oss-120b"]
    assert llm.model_type is ModelType.CHAT
    assert llm.publisher_hint == "openai"
    assert llm.created_at is not None
    assert rows["clarifai/main/models/mm-poly-8b"].input_modalities == ("text", "image")
    sdxl = rows["stability-ai/stable-diffusion-2/models/stable-diffusion-xl"]
    assert sdxl.model_type is ModelType.IMAGE
    classifier = rows["clarifai/main/models/general-image-recognition"]
    assert classifier.model_type is ModelType.OTHER
    assert classifier.input_modalities == ("image",)
    assert rows["someone/app/models/mystery"].model_type is ModelType.OTHER


def test_no_prices_in_the_list_means_unknown() -> None:
    body = {"status": OK, "models": [_model("openai", "chat-completion", "gpt-4o", "text-to-text")]}
    row = parse(SLUG, body).rows[0]
    assert row.prices.is_unpriced()
    assert row.price_source == "none"


def test_status_code_other_than_success_in_a_200_body_raises() -> None:
    body = {
        "status": {
            "code": 11009,
            "description": "API key not found",
            "details": "The API key you are trying to use does not exist.",
        }
    }
    with pytest.raises(ProviderError) as err:
        parse(SLUG, body)
    assert err.value.kind is FailureKind.ERROR_BODY
    assert "11009" in err.value.message and "API key not found" in err.value.message


def test_status_error_with_models_array_still_raises() -> None:
    body = {"status": {"code": 21200, "description": "Model does not exist"}, "models": []}
    with pytest.raises(ProviderError) as err:
        parse(SLUG, body)
    assert err.value.kind is FailureKind.ERROR_BODY


def test_page_pagination_stops_on_a_short_page() -> None:
    spec = get_provider(SLUG)
    first = spec.first_request()
    assert first == PageRequest("/v2/models", (("page", "1"), ("per_page", str(PER_PAGE))))
    second = spec.next_request({"status.code": 10000}, first, PER_PAGE)
    assert second == PageRequest("/v2/models", (("page", "2"), ("per_page", str(PER_PAGE))))
    assert spec.next_request({"status.code": 10000}, second, PER_PAGE - 1) is None
    assert spec.next_request({"status.code": 10000}, second, 0) is None


def test_replay_single_page(replay_server) -> None:
    client = ProviderClient(require_api_keys=False)
    fetch = fetch_provider(client, get_provider(SLUG))
    assert len(fetch.rows) == 3
    assert "openai/chat-completion/models/gpt-oss-120b" in {r.provider_model_id for r in fetch.rows}


def test_auth_env_names_include_clarifai_pat() -> None:
    spec = get_provider(SLUG)
    assert spec.key_env_names == ("CLARIFAI_API_KEY", "CLARIFAI_PAT")
    assert spec.auth_header == "Authorization"
    assert spec.key_required is True


@pytest.mark.conformance
def test_conformance_ids_match_modelsdev_clarifai_ids(real_payloads) -> None:
    """models.dev lists Clarifai models by the same ``user/app/models/id`` path we build."""
    export = json.loads((real_payloads / "peer__modelsdev_api_export.json").read_text())
    keys = list(export["clarifai"]["models"])
    items = []
    for key in keys:
        user, app, marker, model_id = key.split("/")
        assert marker == "models"
        items.append(_model(user, app, model_id, "text-to-text"))
    fetch = parse(SLUG, {"status": OK, "models": items})
    assert fetch.rejected_count == 0
    assert [row.provider_model_id for row in fetch.rows] == keys
