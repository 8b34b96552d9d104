"""Replicate: /v1/models with ``next`` URL pagination, owner/name ids, no prices in the API."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.client import ProviderClient
from catalog_pipeline.providers.dialect import PageRequest
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.fetch import fetch_provider
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.providers.spec import AuthStyle
from catalog_pipeline_tests.providers.helpers import by_id, parse

SLUG = "replicate"


def _model(owner: str, name: str, **extra: object) -> dict:
    return {
        "url": f"https://replicate.com/{owner}/{name}",
        "owner": owner,
        "name": name,
        "description": "",
        "visibility": "public",
        "run_count": 1,
        "latest_version": None,
        **extra,
    }


def _page(*models: dict, next_url: str | None = None) -> dict:
    return {"next": next_url, "previous": None, "results": list(models)}


def test_id_is_owner_slash_name_and_type_is_inferred() -> None:
    rows = by_id(
        parse(
            SLUG,
            _page(
                _model("black-forest-labs", "flux-1.1-pro"),
                _model("meta", "meta-llama-3-70b-instruct"),
                _model("nightmareai", "real-esrgan"),
                _model("openai", "whisper"),
            ),
        )
    )
    flux = rows["black-forest-labs/flux-1.1-pro"]
    assert flux.model_type is ModelType.IMAGE
    assert flux.publisher_hint == "black-forest-labs"
    assert flux.output_modalities == ("image",)
    assert rows["meta/meta-llama-3-70b-instruct"].model_type is ModelType.CHAT
    assert rows["nightmareai/real-esrgan"].model_type is ModelType.OTHER
    assert rows["nightmareai/real-esrgan"].input_modalities == ()
    assert rows["openai/whisper"].model_type is ModelType.TRANSCRIPTION


def test_no_prices_in_the_api_means_unknown() -> None:
    row = parse(SLUG, _page(_model("black-forest-labs", "flux-1.1-pro"))).rows[0]
    assert row.prices.is_unpriced()
    assert row.price_source == "none"


def test_curated_per_image_price_of_an_official_model() -> None:
    spec = get_provider(SLUG)
    entry = spec.curated_price("black-forest-labs/flux-1.1-pro")
    assert entry.prices.per_image == Decimal("0.04")
    assert entry.prices.prompt is None
    assert spec.curated_price("black-forest-labs/flux-pro").prices.per_image == Decimal("0.055")


def test_next_url_becomes_path_and_cursor() -> None:
    spec = get_provider(SLUG)
    first = spec.first_request()
    envelope = {"next": "https://api.replicate.com/v1/models?cursor=cD0yMDI1", "previous": None}
    assert spec.next_request(envelope, first, 25) == PageRequest(
        "/v1/models", (("cursor", "cD0yMDI1"),)
    )
    assert spec.next_request({"next": None}, first, 25) is None


def test_next_url_on_another_host_is_refused() -> None:
    spec = get_provider(SLUG)
    with pytest.raises(ValueError, match="another host"):
        spec.next_request({"next": "https://evil.example/v1/models?cursor=x"}, None, 1)


def test_replay_follows_next_until_null(replay_server) -> None:
    client = ProviderClient(require_api_keys=False)
    fetch = fetch_provider(client, get_provider(SLUG))
    assert [row.provider_model_id for row in fetch.rows] == [
        "black-forest-labs/flux-1.1-pro",
        "meta/meta-llama-3-70b-instruct",
        "meta/meta-llama-3-8b-instruct",
        "bytedance/sdxl-lightning-4step",
        "nightmareai/real-esrgan",
        "black-forest-labs/flux-1.1-pro-ultra",
    ]
    cursors = [r.query.get("cursor") for r in replay_server.requests if r.provider == SLUG]
    assert cursors == [None, "cD0yMDI1LTAxLTI5"]


def test_auth_is_bearer_replicate_api_token(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = get_provider(SLUG)
    assert spec.auth is AuthStyle.BEARER
    assert spec.key_env_names == ("REPLICATE_API_KEY", "REPLICATE_API_TOKEN")
    monkeypatch.delenv("REPLICATE_API_KEY", raising=False)
    monkeypatch.setenv("REPLICATE_API_TOKEN", "r8_test_token")
    assert ProviderClient()._headers(spec)["Authorization"] == "Bearer r8_test_token"


def test_error_body_with_status_200_raises() -> None:
    body = {"title": "Unauthenticated", "detail": "You did not pass an authentication token"}
    with pytest.raises(ProviderError) as err:
        parse(SLUG, body)
    assert err.value.kind is FailureKind.ERROR_BODY
    assert "authentication token" in err.value.message


def test_item_with_slash_in_name_is_rejected() -> None:
    fetch = parse(SLUG, _page(_model("a", "b"), _model("a/b", "c")))
    assert len(fetch.rows) == 1
    assert fetch.rejected_count == 1


@pytest.mark.conformance
def test_conformance_replicate_flux_prices_match_bfl_first_party(real_payloads) -> None:
    """Replicate's official FLUX 1.1 prices equal BFL's own, as LiteLLM records them."""
    litellm = json.loads((real_payloads / "peer__litellm_model_prices.json").read_text())
    provider = get_provider(SLUG)
    pairs = {
        "black-forest-labs/flux-1.1-pro": "black_forest_labs/flux-pro-1.1",
        "black-forest-labs/flux-1.1-pro-ultra": "black_forest_labs/flux-pro-1.1-ultra",
    }
    for ours, peer in pairs.items():
        expected = Decimal(str(litellm[peer]["output_cost_per_image"]))
        assert provider.curated_price(ours).prices.per_image == expected
