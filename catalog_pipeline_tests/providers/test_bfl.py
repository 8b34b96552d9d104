"""Black Forest Labs: no list API; a packaged curated file served through local_body()."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from catalog_pipeline.domain.rows import ModelType
from catalog_pipeline.providers.client import ProviderClient, provider_base_url
from catalog_pipeline.providers.errors import FailureKind, ProviderError
from catalog_pipeline.providers.fetch import fetch_provider
from catalog_pipeline.providers.registry import get_provider
from catalog_pipeline.providers.roster.bfl import packaged_body
from catalog_pipeline_tests.providers.helpers import by_id, parse

SLUG = "bfl"


def _packaged() -> dict:
    return json.loads(packaged_body())


def test_flux_1_1_pro_is_listed_under_bfls_endpoint_name_with_its_image_price() -> None:
    rows = by_id(parse(SLUG, packaged_body()))
    row = rows["flux-pro-1.1"]
    assert row.name == "FLUX1.1 [pro]"
    assert row.model_type is ModelType.IMAGE
    assert row.output_modalities == ("image",)
    assert row.prices.per_image == Decimal("0.04")
    assert row.prices.prompt is None and row.prices.completion is None
    assert row.price_source.startswith("curated:https://docs.bfl.ml/quick_start/pricing")
    assert rows["flux-kontext-max"].prices.per_image == Decimal("0.08")


def test_per_megapixel_endpoint_stays_unknown_not_zero() -> None:
    row = by_id(parse(SLUG, packaged_body()))["flux-2-pro"]
    assert row.prices.is_unpriced()
    assert row.price_source == "none"


def test_every_entry_has_source_and_checked_date() -> None:
    entries = _packaged()["models"]
    assert entries
    for entry in entries:
        assert entry["source_url"].startswith("https://")
        assert entry["checked_on"]
    fetch = parse(SLUG, packaged_body())
    assert fetch.rejected_count == 0
    assert len(fetch.rows) == len(entries)


def test_fetch_uses_the_packaged_file_without_network_or_key() -> None:
    spec = get_provider(SLUG)
    assert spec.local_body() == packaged_body()
    client = ProviderClient(require_api_keys=True)
    assert client.is_configured(spec)
    with provider_base_url("http://127.0.0.1:9"):  # nothing listens there
        fetch = fetch_provider(client, spec)
    assert "flux-pro-1.1" in {row.provider_model_id for row in fetch.rows}


def test_entry_without_source_is_rejected() -> None:
    entry = dict(_packaged()["models"][0])
    del entry["source_url"]
    fetch = parse(SLUG, {"models": [entry]})
    assert fetch.rows == []
    assert fetch.rejected_count == 1


def test_json_number_price_is_read_exactly() -> None:
    entry = dict(_packaged()["models"][0], per_image_usd=0.055)
    fetch = parse(SLUG, json.dumps({"models": [entry]}))
    assert fetch.rows[0].prices.per_image == Decimal("0.055")


def test_error_body_with_status_200_raises() -> None:
    with pytest.raises(ProviderError) as err:
        parse(SLUG, {"error": "packaged file replaced by an error"})
    assert err.value.kind is FailureKind.ERROR_BODY


@pytest.mark.conformance
def test_conformance_packaged_prices_match_litellm(real_payloads) -> None:
    """Every priced BFL entry agrees with LiteLLM's black_forest_labs/* per-image price."""
    litellm = json.loads((real_payloads / "peer__litellm_model_prices.json").read_text())
    rows = by_id(parse(SLUG, packaged_body()))
    checked = 0
    for model_id, row in rows.items():
        peer = litellm.get(f"black_forest_labs/{model_id}")
        if peer is None or row.prices.per_image is None:
            continue
        assert row.prices.per_image == Decimal(str(peer["output_cost_per_image"])), model_id
        checked += 1
    assert checked >= 5
