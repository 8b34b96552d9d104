"""Reference sources through Dagster against the replay server: stored, repricing offers
without a provider sync, a failing source that blocks nothing, the checks per provider."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import dagster as dg
import pytest

from catalog_pipeline.defs.references import reference_prices
from catalog_pipeline.domain.units import per_million
from catalog_pipeline.replay.server import ReplayServer
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline_tests.pipeline.harness import (
    check_results,
    failure_text,
    resources,
    sync_partition,
)

LITELLM_FILE = Path("litellm/BerriAI/litellm/main/model_prices_and_context_window.json.json")


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        yield instance


def sync_source(
    instance: dg.DagsterInstance, database_url: str, server: ReplayServer, slug: str
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [reference_prices],
        partition_key=slug,
        resources=resources(database_url, server),
        instance=instance,
        raise_on_error=False,
    )


def offer(database_url: str, provider: str, model_id: str) -> dict:
    return CatalogStore(database_url=database_url).current_offers(provider)[model_id]


def history(database_url: str, provider: str, model_id: str) -> list[tuple]:
    from sqlalchemy import select

    from catalog_pipeline.store import schema

    store = CatalogStore(database_url=database_url)
    h, p = schema.price_history, schema.providers
    with store.engine().connect() as conn:
        rows = conn.execute(
            select(h.c.prompt, h.c.valid_to)
            .join(p, p.c.id == h.c.provider_id)
            .where(p.c.slug == provider, h.c.provider_model_id == model_id)
            .order_by(h.c.valid_from)
        )
        return [tuple(row) for row in rows]


def test_a_reference_fetch_reprices_stored_offers_without_a_provider_sync(
    instance: dg.DagsterInstance, database_url: str, replay_server: ReplayServer
) -> None:
    assert sync_partition(instance, database_url, replay_server, "google").success
    before = offer(database_url, "google", "models/gemini-2.5-flash")
    assert before["price_source"].startswith("curated:")

    for slug in ("models-dev", "litellm"):
        result = sync_source(instance, database_url, replay_server, slug)
        assert result.success, failure_text(result)
        assert all(e.passed for e in result.get_asset_check_evaluations())

    flash = offer(database_url, "google", "models/gemini-2.5-flash")
    assert flash["prompt"] == per_million("0.3")
    assert flash["price_source"] == (
        "prompt,completion=consensus(models-dev "
        + flash["price_source"].split("consensus(models-dev ", 1)[1].split(")")[0]
        + ")"
        + flash["price_source"].split(")", 1)[1]
    )
    assert "litellm" in flash["price_source"]
    pro = offer(database_url, "google", "models/gemini-2.5-pro")
    assert json.loads(pro["price_tiers"])[0]["above_prompt_tokens"] == 200_000
    # the curated row carries the same long-context tier, so every field has one label
    assert pro["price_source"].startswith("consensus(models-dev ")
    assert "litellm" in pro["price_source"]
    assert "curated:https://ai.google.dev/gemini-api/docs/pricing" in pro["price_source"]
    store = CatalogStore(database_url=database_url)
    assert {o.source for o in store.reference_observations("google")} == {"models-dev", "litellm"}
    states = store.reference_states()
    assert states["litellm"]["status"] == "ok" and states["litellm"]["observation_count"] > 5

    from catalog_pipeline.defs.catalog import catalog

    refreshed = dg.materialize(
        [catalog], resources=resources(database_url, replay_server), instance=instance
    )
    shown = refreshed.asset_materializations_for_node("catalog")[0].metadata["reference_sources"]
    assert [row.data["source"] for row in shown.value.records] == ["litellm", "models-dev"]
    fresh = check_results(refreshed)["reference_sources_fresh"]
    assert (fresh.passed, fresh.metadata["summary"].value) == (
        True,
        "every reference source fetched successfully in time; never fetched: genai-prices",
    )
    assert states["litellm"]["last_success_at"] is not None

    (replay_server.root / LITELLM_FILE).write_text("{")
    assert not sync_source(instance, database_url, replay_server, "litellm").success
    refreshed = dg.materialize(
        [catalog], resources=resources(database_url, replay_server), instance=instance
    )
    failing = check_results(refreshed)["reference_sources_fresh"]
    assert (failing.passed, failing.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert failing.metadata["summary"].value.startswith(
        "1 reference source stale or failing (no successful fetch in 36 h, or the latest "
        "failed): litellm (failed, last success 0.0 h)"
    )


def test_a_failing_source_keeps_its_observations_and_blocks_no_provider(
    instance: dg.DagsterInstance, database_url: str, replay_server: ReplayServer
) -> None:
    assert sync_source(instance, database_url, replay_server, "litellm").success
    assert sync_source(instance, database_url, replay_server, "models-dev").success
    assert sync_partition(instance, database_url, replay_server, "anthropic").success
    sonnet = offer(database_url, "anthropic", "claude-sonnet-4-5-20250929")
    assert sonnet["prompt"] == Decimal("0.000003")

    (replay_server.root / LITELLM_FILE).write_text('{"gpt-4o": [')
    failed = sync_source(instance, database_url, replay_server, "litellm")
    assert not failed.success
    assert "not valid JSON" in failure_text(failed)
    store = CatalogStore(database_url=database_url)
    assert store.reference_states()["litellm"]["status"] == "failed"
    assert any(o.source == "litellm" for o in store.reference_observations("anthropic"))

    assert sync_partition(instance, database_url, replay_server, "anthropic").success
    assert offer(database_url, "anthropic", "claude-sonnet-4-5-20250929") == sonnet


def test_disagreeing_sources_warn_per_provider_and_a_unit_bug_blocks(
    instance: dg.DagsterInstance, database_url: str, replay_server: ReplayServer
) -> None:
    cost_map = json.loads((replay_server.root / LITELLM_FILE).read_text())
    cost_map["groq/llama-3.3-70b-versatile"]["output_cost_per_token"] = 9.9e-07
    (replay_server.root / LITELLM_FILE).write_text(json.dumps(cost_map))
    for slug in ("models-dev", "litellm", "genai-prices"):
        assert sync_source(instance, database_url, replay_server, slug).success
    result = sync_partition(instance, database_url, replay_server, "groq")
    assert result.success, failure_text(result)
    disagree = check_results(result)["price_sources_disagree"]
    assert not disagree.passed and disagree.severity == dg.AssetCheckSeverity.WARN
    assert disagree.partition == "groq"
    assert "llama-3.3-70b-versatile completion" in disagree.metadata["summary"].value
    table = disagree.metadata["disagreements"].value.records
    row = next(r.data for r in table if r.data["model"] == "llama-3.3-70b-versatile")
    assert (row["litellm"], row["models-dev"], row["genai-prices"]) == ("0.99", "0.79", "0.79")
    llama = offer(database_url, "groq", "llama-3.3-70b-versatile")
    assert llama["completion"] == per_million("0.79")
    assert llama["price_source"].endswith(
        "completion=consensus(models-dev "
        + llama["price_source"].rsplit("consensus(models-dev ", 1)[1]
    )

    # OpenRouter lists its own prices; two references that agree on a price 10x away from
    # the router's own are the signature of a unit bug: the run stops before the write.
    assert sync_partition(instance, database_url, replay_server, "openrouter").success
    before = CatalogStore(database_url=database_url).current_offers("openrouter")
    model_id, row = next((k, v) for k, v in before.items() if v["prompt"])
    models_dev = replay_server.root / "models-dev" / "api.json.json"
    data = json.loads(models_dev.read_text())
    wrong = str(row["prompt"] * 1_000_000 * 1000)
    data["openrouter"] = {
        "id": "openrouter",
        "name": "OpenRouter",
        "models": {model_id: {"id": model_id, "cost": {"input": float(wrong)}}},
    }
    models_dev.write_text(json.dumps(data))
    cost_map[f"openrouter/{model_id}"] = {
        "litellm_provider": "openrouter",
        "input_cost_per_token": float(row["prompt"] * 1000),
    }
    (replay_server.root / LITELLM_FILE).write_text(json.dumps(cost_map))
    assert sync_source(instance, database_url, replay_server, "models-dev").success
    assert sync_source(instance, database_url, replay_server, "litellm").success
    assert (
        CatalogStore(database_url=database_url).current_offers("openrouter")[model_id]["prompt"]
        == row["prompt"]
    ), "a reference never overrides a provider's own price"
    blocked = sync_partition(instance, database_url, replay_server, "openrouter")
    assert not blocked.success
    bug = check_results(blocked)["provider_price_unit_bug"]
    assert not bug.passed and bug.severity == dg.AssetCheckSeverity.ERROR
    assert (
        "10x or more away" in bug.metadata["summary"].value
        and model_id in bug.metadata["summary"].value
    )


def test_an_override_survives_a_reference_repricing(
    instance: dg.DagsterInstance, database_url: str, replay_server: ReplayServer
) -> None:
    """A reference sync reprices stored offers; an offer an operator prices keeps the
    operator's price (the override wins over every source)."""
    from catalog_pipeline.pipeline.overrides import new_override

    store = CatalogStore(database_url=database_url)
    assert sync_partition(instance, database_url, replay_server, "google").success
    store.set_override(
        new_override(
            "google",
            "models/gemini-2.5-flash",
            {"prompt_per_1m": "0.20"},
            reason="negotiated",
            by="ops@example.com",
        )
    )
    assert sync_partition(instance, database_url, replay_server, "google").success
    assert offer(database_url, "google", "models/gemini-2.5-flash")["prompt"] == Decimal("2E-7")

    for slug in ("models-dev", "litellm"):
        assert sync_source(instance, database_url, replay_server, slug).success

    flash = offer(database_url, "google", "models/gemini-2.5-flash")
    assert flash["prompt"] == Decimal("2E-7")
    assert flash["price_source"].startswith("override:negotiated by ops@example.com")
    assert offer(database_url, "google", "models/gemini-2.5-pro")["price_source"].startswith(
        "consensus(models-dev "
    )


def test_a_router_write_reprices_the_publishers_it_references(
    instance: dg.DagsterInstance, database_url: str, replay_server: ReplayServer
) -> None:
    """OpenRouter's own price for openai/gpt-4o-mini is a reference for OpenAI's gpt-4o-mini:
    with one reference source agreeing, OpenAI's offer is priced by their consensus as soon
    as OpenRouter writes, labelled as a router's price."""
    assert sync_partition(instance, database_url, replay_server, "openai").success
    assert sync_source(instance, database_url, replay_server, "litellm").success
    before = offer(database_url, "openai", "gpt-4o-mini")
    assert "router:" not in before["price_source"]
    assert sync_partition(instance, database_url, replay_server, "openrouter").success
    after = offer(database_url, "openai", "gpt-4o-mini")
    assert after["prompt"] == per_million("0.15")
    assert "router:openrouter " in after["price_source"]
    assert "litellm " in after["price_source"]


def test_a_reference_with_a_unit_bug_never_reprices_an_offer(
    instance: dg.DagsterInstance, database_url: str, replay_server: ReplayServer
) -> None:
    """A single reference source whose gpt-4o-mini input price is per 1K tokens read as per
    token (1000x) would be chosen for OpenAI's offer (OpenAI's list has no prices): the
    repricing holds it back like a sync's prices_sane, the offer keeps its stored price,
    the check says which offer and why, and the source's sane prices still reprice."""
    assert sync_partition(instance, database_url, replay_server, "openai").success
    before = offer(database_url, "openai", "gpt-4o-mini")
    assert before["prompt"] == Decimal("1.5E-7")
    cost_map = json.loads((replay_server.root / LITELLM_FILE).read_text())
    cost_map["gpt-4o-mini"]["input_cost_per_token"] = 0.00015
    (replay_server.root / LITELLM_FILE).write_text(json.dumps(cost_map))

    result = sync_source(instance, database_url, replay_server, "litellm")

    assert result.success, failure_text(result)
    held = check_results(result)["repriced_prices_sane"]
    assert not held.passed and held.severity == dg.AssetCheckSeverity.ERROR
    assert held.partition == "litellm"
    assert held.metadata["summary"].value == (
        "litellm: 1 repriced offer held back, the stored prices stay (outside the band or "
        "moved past the unit-bug factor): openai gpt-4o-mini; check the source's prices, "
        "or set an override"
    )
    rows = [r.data for r in held.metadata["held"].value.records]
    assert rows == [
        {
            "provider": "openai",
            "model": "gpt-4o-mini",
            "field": "prompt",
            "stored USD": "0.00000015",
            "new USD": "0.00015",
            "problem": "moved",
        }
    ]
    after = offer(database_url, "openai", "gpt-4o-mini")
    assert (after["prompt"], after["price_source"]) == (before["prompt"], before["price_source"])
    assert history(database_url, "openai", "gpt-4o-mini") == [(Decimal("1.5E-7"), None)]
    assert "litellm " in offer(database_url, "openai", "gpt-4o")["price_source"], (
        "the source's other prices still reach OpenAI's offers"
    )


def test_a_router_price_with_a_unit_bug_never_reprices_the_publisher(
    instance: dg.DagsterInstance, database_url: str, replay_server: ReplayServer
) -> None:
    """OpenRouter's own price is a reference for OpenAI's offer; a router listing
    openai/gpt-4o-mini at a thousandfold its price (inside the band, and the router's first
    sync, so nothing for the router's own prices_sane to compare with) is held back at the
    router's write: OpenAI's stored price is what it moved from."""
    assert sync_partition(instance, database_url, replay_server, "openai").success
    before = offer(database_url, "openai", "gpt-4o-mini")
    listing = replay_server.root / "openrouter" / "api" / "v1" / "models.json"
    body = json.loads(listing.read_text())
    mini = next(m for m in body["data"] if m["id"] == "openai/gpt-4o-mini")
    mini["pricing"]["prompt"] = "0.00015"
    listing.write_text(json.dumps(body))

    result = sync_partition(instance, database_url, replay_server, "openrouter")

    held = check_results(result)["repriced_prices_sane"]
    assert not held.passed and held.severity == dg.AssetCheckSeverity.ERROR
    assert held.metadata["summary"].value.startswith(
        "openrouter: 1 repriced offer held back, the stored prices stay"
    )
    assert [
        (r.data["model"], r.data["field"], r.data["problem"])
        for r in held.metadata["held"].value.records
    ] == [("gpt-4o-mini", "prompt", "moved")]
    assert offer(database_url, "openai", "gpt-4o-mini")["prompt"] == before["prompt"]


def test_the_daily_reference_schedule_runs_every_source_before_the_providers() -> None:
    import datetime as dt

    from catalog_pipeline.defs.schedules import DAILY_CRON, REFERENCE_CRON, daily_reference_sync
    from catalog_pipeline.providers.references.registry import source_slugs

    tick = dt.datetime(2026, 11, 23, 4, 30, tzinfo=dt.UTC)
    with dg.instance_for_test() as instance:
        context = dg.build_schedule_context(instance=instance, scheduled_execution_time=tick)
        requests = list(daily_reference_sync(context))
    assert [r.partition_key for r in requests] == source_slugs()
    assert all(r.run_key.endswith("2026-11-23") for r in requests)

    def minute_of_day(cron: str) -> int:
        minute, hour = cron.split()[:2]
        return int(hour) * 60 + int(minute)

    assert minute_of_day(REFERENCE_CRON) < minute_of_day(DAILY_CRON)
