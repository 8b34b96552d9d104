"""Exports checked against their real consumers' formats and round-tripped to the table.

The catalog under test is built the way the pipeline builds it: every sample recording is
fetched over real HTTP from the loopback replay server, parsed, normalized and written by
the store. The OpenRouter conformance test also loads OpenRouter's real /api/v1/models
payload from ``../shared/payloads``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import dagster as dg
import pytest

from catalog_pipeline.cli import main
from catalog_pipeline.defs.exports import EXPORT_ASSETS
from catalog_pipeline.defs.resources import CatalogStoreResource
from catalog_pipeline.domain.rows import tiers_from_text
from catalog_pipeline.domain.units import to_decimal
from catalog_pipeline.exports import litellm, openrouter, table
from catalog_pipeline.exports.common import read_catalog
from catalog_pipeline.exports.run import render_catalog
from catalog_pipeline.pipeline.normalize import normalize_rows
from catalog_pipeline.pipeline.registration import provider_rows
from catalog_pipeline.providers.client import ProviderClient, provider_base_url
from catalog_pipeline.providers.errors import ProviderError
from catalog_pipeline.providers.fetch import fetch_provider, parse_payload
from catalog_pipeline.providers.registry import PROVIDERS, get_provider
from catalog_pipeline.read_api import reader_engine
from catalog_pipeline.replay.server import ReplayServer
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline_tests.conftest import RECORDINGS

PRICE_FIELDS_TO_LITELLM = {
    "prompt": "input_cost_per_token",
    "completion": "output_cost_per_token",
    "cache_read": "cache_read_input_token_cost",
    "cache_write": "cache_creation_input_token_cost",
    "per_image": "output_cost_per_image",
}


@pytest.fixture(scope="module")
def catalog_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Every recorded provider, fetched over loopback HTTP and written by the store."""
    folder = tmp_path_factory.mktemp("exports")
    shutil.copytree(RECORDINGS, folder / "recordings")
    url = f"sqlite:///{folder / 'catalog.db'}"
    store = CatalogStore(database_url=url)
    store.register_providers(provider_rows(PROVIDERS))
    with ReplayServer(folder / "recordings") as server, provider_base_url(server.url):
        client = ProviderClient(require_api_keys=False, max_attempts=1)
        for spec in PROVIDERS:
            try:
                fetched = fetch_provider(client, spec)
            except ProviderError:
                continue  # providers without a recording
            store.apply_offers(spec.slug, normalize_rows(spec, fetched.rows), None)
    # one model goes missing, so exports see a non-active row too
    rows = store.current_offers("together")
    keep = [r for r in fetched_offers("together") if r.provider_model_id != min(rows)]
    store.apply_offers("together", keep, None)
    return url


def fetched_offers(slug: str):
    spec = get_provider(slug)
    body = (RECORDINGS / slug / spec.list_path.lstrip("/")).with_suffix(".json").read_bytes()
    return normalize_rows(spec, parse_payload(spec, body).rows)


@pytest.fixture(scope="module")
def table_rows(catalog_url: str) -> dict[tuple[str, str], dict]:
    engine = reader_engine(catalog_url)
    try:
        catalog = read_catalog(engine)
    finally:
        engine.dispose()
    assert len(catalog.rows) > 100
    return {(r["provider"], r["provider_model_id"]): r for r in catalog.rows}


@pytest.fixture(scope="module")
def peer_litellm(real_payloads: Path) -> dict:
    return json.loads((real_payloads / "peer__litellm_model_prices.json").read_text())


NUMBER_WITH_EXPONENT = re.compile(r":\s*-?\d+(\.\d+)?[eE][-+]?\d+")


@pytest.mark.conformance
def test_litellm_keys_and_units_match_litellm_own_map(catalog_url: str, peer_litellm: dict):
    cost_map = json.loads(render_catalog(catalog_url, "litellm").text)
    shared = sorted(set(cost_map) & set(peer_litellm))
    assert len(shared) >= 40, f"only {len(shared)} keys in common with LiteLLM's map"
    known_fields = {
        name for entry in peer_litellm.values() if isinstance(entry, dict) for name in entry
    }
    for key, entry in cost_map.items():
        assert set(entry) <= known_fields, f"{key}: fields LiteLLM does not know"
    for key in shared:
        ours, theirs = cost_map[key], peer_litellm[key]
        assert ours["litellm_provider"] == theirs["litellm_provider"], key
        for field in ("input_cost_per_token", "output_cost_per_token", "output_cost_per_image"):
            if ours.get(field) and theirs.get(field):
                ratio = Decimal(str(ours[field])) / Decimal(str(theirs[field]))
                assert Decimal("0.2") < ratio < 5, (
                    f"{key} {field}: {ours[field]} vs {theirs[field]}"
                )
        if "mode" in theirs and theirs["mode"] in {"chat", "embedding"}:
            assert ours.get("mode") == theirs["mode"], key


def test_litellm_round_trips_exactly_and_leaves_out_what_it_cannot_price(
    catalog_url: str, table_rows: dict
):
    rendered = render_catalog(catalog_url, "litellm")
    assert not NUMBER_WITH_EXPONENT.search(rendered.text), "prices must be plain decimals"
    exact = json.loads(rendered.text, parse_float=Decimal)
    by_key = {}
    for row in table_rows.values():
        named = litellm.litellm_key(row)
        if named and row["status"] == "active":
            by_key.setdefault(named[0], row)
    assert rendered.entries == len(exact) > 50
    tiered = 0
    for key, entry in exact.items():
        row = by_key[key]
        for field, name in PRICE_FIELDS_TO_LITELLM.items():
            assert entry.get(name) == row[field], f"{key} {name}"
        assert entry.get("max_input_tokens") == row["context_length"]
        tiers = tiers_from_text(row["price_tiers"])
        written = {name: value for name, value in entry.items() if "_above_" in name}
        assert written == {
            litellm.tier_key(name, tier.above_prompt_tokens): getattr(tier, field)
            for tier in tiers
            for field, name in litellm.TIER_PRICES.items()
            if getattr(tier, field) is not None
        }, key
        tiered += bool(tiers)
    assert tiered >= 2, "the Vercel and AIHubMix recordings carry long-context tiers"
    sonnet = exact["vercel_ai_gateway/anthropic/claude-sonnet-4.5"]
    assert sonnet["input_cost_per_token_above_200k_tokens"] == Decimal("0.000006")
    assert sonnet["output_cost_per_token_above_200k_tokens"] == Decimal("0.0000225")
    unpriced = [k for k, r in by_key.items() if all(r[f] is None for f in PRICE_FIELDS_TO_LITELLM)]
    assert unpriced and not set(unpriced) & set(exact)
    assert rendered.skipped["no known price"] >= len(unpriced)
    assert any(reason.startswith("provider ") for reason in rendered.skipped)
    assert rendered.skipped.get("status missing", 0) == 1


def test_openrouter_export_parses_back_through_the_project_parser(
    catalog_url: str, table_rows: dict
):
    rendered = render_catalog(catalog_url, "openrouter")
    assert not NUMBER_WITH_EXPONENT.search(rendered.text)
    document = json.loads(rendered.text)
    pricings = [item["pricing"] for item in document["data"]]
    assert all(isinstance(v, str) for p in pricings for k, v in p.items() if k != "overrides")
    overrides = [o for p in pricings for o in p.get("overrides", ())]
    assert overrides and all(
        isinstance(v, int if k == "min_prompt_tokens" else str)
        for o in overrides
        for k, v in o.items()
    )
    parsed = parse_payload(get_provider("openrouter"), rendered.text.encode())
    assert parsed.rejected_count == 0 and len(parsed.rows) == rendered.entries
    tiered = 0
    for back in parsed.rows:
        provider, model_id = back.provider_model_id.split("/", 1)
        row = table_rows[(provider, model_id)]
        assert row["status"] == "active"
        for field in (
            "prompt",
            "completion",
            "cache_read",
            "cache_write",
            "audio_input",
            "per_input_image",
        ):
            assert getattr(back.prices, field) == row[field], f"{back.provider_model_id} {field}"
        assert back.prices.tiers == tiers_from_text(row["price_tiers"]), back.provider_model_id
        tiered += bool(back.prices.tiers)
        assert back.context_length == row["context_length"]
    assert tiered >= 2, "tiers are written as OpenRouter overrides and read back"


@pytest.mark.conformance
def test_openrouter_export_matches_openrouter_real_payload(tmp_path: Path, real_payloads: Path):
    """OpenRouter's own /api/v1/models in, our OpenRouter-shaped export out: same fields and
    the same prices, as strings of USD per token, for every model."""
    payload = (real_payloads / "openrouter__modelsdev_models_json.json").read_bytes()
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    store = CatalogStore(database_url=url)
    store.register_providers(provider_rows(PROVIDERS))
    rows = parse_payload(get_provider("openrouter"), payload).rows
    store.apply_offers("openrouter", normalize_rows(get_provider("openrouter"), rows), None)
    ours = {i["id"]: i for i in json.loads(render_catalog(url, "openrouter").text)["data"]}
    peer = json.loads(payload)["data"]
    # a 0 for a model billed per song or clip is unknown here (domain.zero_prices)
    honest_zeros = {row.provider_model_id for row in rows if row.zero_prices_unknown}
    assert honest_zeros == {"google/lyria-3-pro-preview", "google/lyria-3-clip-preview"}
    assert len(ours) == len(peer) == 364
    compared = 0
    for theirs in peer:
        item = ours[f"openrouter/{theirs['id']}"]
        assert set(theirs) <= set(item), set(theirs) - set(item)
        assert set(item["architecture"]) == set(theirs["architecture"])
        assert (
            item["architecture"]["input_modalities"] == theirs["architecture"]["input_modalities"]
        )
        assert item["context_length"] == theirs["context_length"]
        for key, value in theirs["pricing"].items():
            if value == "-1" or (value == "0" and theirs["id"] in honest_zeros):
                # OpenRouter's "unknown" (or a zero that is not free): ours says unknown
                assert item["pricing"].get(key, "-1") == "-1", (theirs["id"], key)
            elif key in item["pricing"]:
                # to_decimal: the project's one rule for float-printed wire noise (15 digits)
                assert Decimal(item["pricing"][key]) == to_decimal(value), (theirs["id"], key)
                compared += 1
        assert set(item["pricing"]) <= set(theirs["pricing"]) | {"prompt", "completion"}
    assert compared > 364 * 2


def test_csv_has_every_row_with_exact_prices(catalog_url: str, table_rows: dict):
    rendered = render_catalog(catalog_url, "csv")
    rows = list(csv.DictReader(io.StringIO(rendered.text)))
    assert len(rows) == len(table_rows) == rendered.entries
    assert {r["status"] for r in rows} >= {"active", "missing"}
    for out in rows:
        row = table_rows[(out["provider"], out["provider_model_id"])]
        for column, field in table.PRICE_COLUMNS.items():
            assert (Decimal(out[column]) if out[column] else None) == row[field], column
        if row["prompt"] is not None:
            assert Decimal(out["prompt_usd_per_1m"]) == row["prompt"] * 1_000_000


def test_cli_export_writes_each_format(catalog_url: str, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("CATALOG_DATABASE_URL", catalog_url)
    for fmt in ("litellm", "openrouter", "csv"):
        target = tmp_path / f"out.{fmt}"
        assert main(["export", "--format", fmt, "--output", str(target)]) == 0
        assert target.read_text() == render_catalog(catalog_url, fmt).text
        assert f"{fmt}: " in capsys.readouterr().err
    assert main(["export", "--format", "openrouter", "--output", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["data"]
    with pytest.raises(SystemExit) as refused:
        main(["export", "--format", "yaml", "--output", str(tmp_path / "x")])
    assert refused.value.code == 2
    assert "argument --format: invalid choice: 'yaml' (choose from 'litellm', 'openrouter', " in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "x").exists()


def test_export_assets_materialize_files(catalog_url: str, tmp_path: Path):
    result = dg.materialize(
        EXPORT_ASSETS,
        resources={"catalog_store": CatalogStoreResource(database_url=catalog_url)},
        run_config={
            "ops": {
                a.key.path[-1]: {"config": {"output_dir": str(tmp_path)}} for a in EXPORT_ASSETS
            }
        },
    )
    assert result.success
    for materialization in result.asset_materializations_for_node("litellm_cost_map"):
        entries = materialization.metadata["entries"].value
        assert entries == len(json.loads((tmp_path / "litellm_model_prices.json").read_text()))
    assert json.loads((tmp_path / "openrouter_models.json").read_text())["data"]
    assert (tmp_path / "models.csv").read_text().startswith(",".join(table.COLUMNS[:3]))
    assert openrouter.FORMAT == "openrouter"
