"""fal.ai: /v1/models cursor pages, category -> type, no prices in the list, unit mapping."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType, Prices
from catalog_pipeline.providers.client import ProviderClient
from catalog_pipeline.providers.dialect import PageRequest
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.fetch import fetch_provider
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.providers.roster.fal import fal_unit_prices
from catalog_pipeline_tests.conftest import RECORDINGS
from catalog_pipeline_tests.providers.helpers import by_id, parse

SLUG = "fal"


def _item(endpoint_id: str, category: str, **meta: object) -> dict:
    return {
        "endpoint_id": endpoint_id,
        "metadata": {"display_name": endpoint_id, "category": category, "status": "active", **meta},
    }


def _body(*items: dict, cursor: str | None = None) -> dict:
    return {"models": list(items), "next_cursor": cursor, "has_more": cursor is not None}


def test_category_gives_type_and_modalities() -> None:
    rows = by_id(
        parse(
            SLUG,
            _body(
                _item("fal-ai/flux/dev", "text-to-image", display_name="FLUX.1 [dev]"),
                _item("fal-ai/kling-video/v2.1/pro/image-to-video", "image-to-video"),
                _item("fal-ai/whisper", "speech-to-text"),
                _item("fal-ai/any-llm", "llm"),
                _item("fal-ai/hunyuan3d-v21", "image-to-3d"),
                _item("fal-ai/flux-lora-fast-training", "training"),
            ),
        )
    )
    flux = rows["fal-ai/flux/dev"]
    assert flux.model_type is ModelType.IMAGE
    assert (flux.input_modalities, flux.output_modalities) == (("text",), ("image",))
    assert flux.name == "FLUX.1 [dev]"
    video = rows["fal-ai/kling-video/v2.1/pro/image-to-video"]
    assert video.model_type is ModelType.VIDEO
    assert (video.input_modalities, video.output_modalities) == (("image",), ("video",))
    assert rows["fal-ai/whisper"].model_type is ModelType.TRANSCRIPTION
    assert rows["fal-ai/whisper"].input_modalities == ("audio",)
    assert rows["fal-ai/any-llm"].model_type is ModelType.CHAT
    assert rows["fal-ai/hunyuan3d-v21"].model_type is ModelType.OTHER
    assert rows["fal-ai/hunyuan3d-v21"].output_modalities == ("3d",)
    assert rows["fal-ai/flux-lora-fast-training"].model_type is ModelType.OTHER


def test_list_has_no_prices_so_rows_are_unknown_not_free() -> None:
    row = parse(SLUG, _body(_item("fal-ai/flux/dev", "text-to-image"))).rows[0]
    assert row.prices.is_unpriced()
    assert row.prices.per_image is None
    assert row.price_source == "none"


def test_curated_per_image_price_for_a_published_model() -> None:
    entry = get_provider(SLUG).curated_price("fal-ai/flux-pro/v1.1-ultra")
    assert entry.prices.per_image == Decimal("0.06")
    assert entry.prices.prompt is None and entry.prices.completion is None


def test_pricing_units_map_to_their_own_fields_never_tokens() -> None:
    assert fal_unit_prices("image", Decimal("0.025")) == Prices(per_image=Decimal("0.025"))
    assert fal_unit_prices("second", Decimal("0.28")) == Prices(per_second=Decimal("0.28"))
    assert fal_unit_prices("video_second", "0.05") == Prices(per_second=Decimal("0.05"))
    assert fal_unit_prices("request", "0.01") == Prices(per_request=Decimal("0.01"))
    assert fal_unit_prices("megapixel", "0.005").is_unpriced()
    assert fal_unit_prices("1000 characters", "0.04").is_unpriced()
    assert fal_unit_prices("compute seconds", "0.0008").is_unpriced()


def test_cursor_pagination_requests_and_stop() -> None:
    spec = get_provider(SLUG)
    first = spec.first_request()
    assert first.path == "/v1/models"
    nxt = spec.next_request({"next_cursor": "Mg==", "has_more": True}, first, 3)
    assert nxt == PageRequest("/v1/models", (("limit", "100"), ("cursor", "Mg==")))
    assert spec.next_request({"next_cursor": None, "has_more": False}, nxt, 2) is None
    assert spec.next_request({"has_more": False}, nxt, 2) is None


def test_replay_follows_both_pages(replay_server) -> None:
    client = ProviderClient(require_api_keys=False)
    fetch = fetch_provider(client, get_provider(SLUG))
    ids = [row.provider_model_id for row in fetch.rows]
    assert ids == [
        "fal-ai/flux-pro/v1.1-ultra",
        "fal-ai/flux/dev",
        "fal-ai/kling-video/v2.1/pro/image-to-video",
        "fal-ai/flux-pro/kontext",
        "fal-ai/whisper",
    ]
    cursors = [r.query.get("cursor") for r in replay_server.requests if r.provider == SLUG]
    assert cursors == [None, "Mg=="]
    assert len(list((RECORDINGS / SLUG / "v1").glob("models*.json"))) == 2


def test_public_list_needs_no_key() -> None:
    spec = get_provider(SLUG)
    assert spec.key_required is False
    assert "FAL_KEY" in spec.key_env_names


def test_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError) as err:
        parse(SLUG, {"error": {"message": "Rate limit exceeded", "type": "rate_limited"}})
    assert err.value.kind is FailureKind.ERROR_BODY
    assert "Rate limit exceeded" in err.value.message


def test_item_without_endpoint_id_is_rejected_and_counted() -> None:
    fetch = parse(SLUG, _body(_item("fal-ai/flux/dev", "text-to-image"), {"metadata": {}}))
    assert len(fetch.rows) == 1
    assert fetch.rejected_count == 1


@pytest.mark.conformance
def test_conformance_curated_fal_prices_match_peer_catalogs(real_payloads) -> None:
    """Curated per-image prices agree with LiteLLM (USD/image) and Portkey (cents/image)."""
    import json

    litellm = json.loads((real_payloads / "peer__litellm_model_prices.json").read_text())
    portkey = json.loads((real_payloads / "peer__portkey_pricing_merged.json").read_text())
    provider = get_provider(SLUG)
    ultra = provider.curated_price("fal-ai/flux-pro/v1.1-ultra").prices.per_image
    peer = litellm["fal_ai/fal-ai/flux-pro/v1.1-ultra"]["output_cost_per_image"]
    assert ultra == Decimal(str(peer))
    for model_id in ("fal-ai/flux-pro/v1.1-ultra", "fal-ai/flux-pro/kontext"):
        cents = portkey["fal-ai"][model_id]["pricing_config"]["pay_as_you_go"]["image"]
        cents_per_image = Decimal(str(cents["default"]["default"]["price"]))
        assert provider.curated_price(model_id).prices.per_image == cents_per_image / 100
