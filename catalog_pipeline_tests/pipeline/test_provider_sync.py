"""Real Dagster runs of the provider partitions over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal

import dagster as dg
import pytest

from catalog_pipeline.defs.jobs import PROVIDER_ASSETS
from catalog_pipeline.defs.resources import CheckSettings
from catalog_pipeline.replay import faults
from catalog_pipeline.replay.server import CannedResponse, ReplayServer
from catalog_pipeline.store.catalog_store import CatalogStore
from catalog_pipeline_tests.pipeline.harness import (
    CORE_FIVE,
    check_results,
    failure_text,
    resources,
    sync_partition,
)


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def prices(store: CatalogStore, provider: str) -> dict[str, dict[str, Decimal | None]]:
    return {
        row["provider_model_id"]: {"prompt": row["prompt"], "completion": row["completion"]}
        for row in store.offers()
        if row["provider"] == provider
    }


def test_five_providers_land_in_the_models_table(instance, database_url, replay_server) -> None:
    for slug in CORE_FIVE:
        result = sync_partition(instance, database_url, replay_server, slug)
        assert result.success, failure_text(result)
        assert all(e.passed for e in result.get_asset_check_evaluations()), slug
    store = CatalogStore(database_url=database_url)
    counts = {slug: store.model_count(slug) for slug in CORE_FIVE}
    assert counts == {"openrouter": 7, "openai": 7, "anthropic": 4, "together": 7, "groq": 5}
    assert store.model_count() == 30

    anthropic = prices(store, "anthropic")
    assert anthropic["claude-sonnet-4-5-20250929"] == {
        "prompt": Decimal("0.000003"),
        "completion": Decimal("0.000015"),
    }
    assert anthropic["claude-opus-4-1-20250805"]["prompt"] is None
    together = prices(store, "together")
    assert together["meta-llama/Llama-3.3-70B-Instruct-Turbo"]["prompt"] == Decimal("0.00000088")
    assert together["meta-llama/Llama-Guard-3-11B-Vision-Turbo"]["prompt"] == Decimal("0.00000018")
    assert together["black-forest-labs/FLUX.1-schnell"]["prompt"] is None
    assert together["cartesia/sonic-2"]["prompt"] is None
    openrouter = prices(store, "openrouter")
    assert openrouter["openrouter/auto"]["prompt"] is None
    assert openrouter["meta-llama/llama-3.3-70b-instruct:free"]["prompt"] == Decimal(0)

    anthropic_requests = [r for r in replay_server.requests if r.provider == "anthropic"]
    assert [r.query.get("after_id") for r in anthropic_requests] == [
        None,
        "claude-haiku-4-5-20251001",
    ]
    assert all(r.headers.get("anthropic-version") == "2023-06-01" for r in anthropic_requests)

    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(
            asset_key=dg.AssetKey("provider_models"), asset_partitions=["together"]
        ),
        limit=1,
    ).records
    metadata = records[0].asset_materialization.metadata
    assert metadata["models"].value == 7
    assert len(metadata["sha256"].value) == 64


def test_http_500_fails_only_that_provider_and_keeps_its_rows(
    instance, database_url, replay_server: ReplayServer
) -> None:
    for slug in ("groq", "together"):
        assert sync_partition(instance, database_url, replay_server, slug).success
    replay_server.faults["groq"] = [CannedResponse(500, b'{"error": "upstream down"}')] * 3

    failed = sync_partition(instance, database_url, replay_server, "groq")
    assert not failed.success
    message = failure_text(failed)
    assert "provider 'groq'" in message
    assert "HTTP 500" in message
    assert "/groq/openai/v1/models" in message
    assert "last good data stays" in message

    store = CatalogStore(database_url=database_url)
    assert store.model_count("groq") == 5
    assert {r["status"] for r in store.offers() if r["provider"] == "groq"} == {"active"}
    state = {s["slug"]: s for s in store.provider_states()}["groq"]
    assert state["last_status"] == "failed" and "HTTP 500" in state["last_error"]
    assert sync_partition(instance, database_url, replay_server, "together").success


def test_a_resync_reads_the_providers_rows_once(instance, database_url, replay_server) -> None:
    """The fetch step's read serves the checks and the write: no second read of the models
    table while the provider's rows have not changed in between."""
    from sqlalchemy import event

    from catalog_pipeline.store.engine import engine_for

    assert sync_partition(instance, database_url, replay_server, "groq").success
    reads: list[str] = []

    def record(conn, cursor, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and " models" in statement:
            reads.append(statement)

    event.listen(engine_for(database_url), "before_cursor_execute", record)
    try:
        result = sync_partition(instance, database_url, replay_server, "groq")
    finally:
        event.remove(engine_for(database_url), "before_cursor_execute", record)
    assert result.success, failure_text(result)
    assert len(reads) == 1 and "FROM models" in reads[0], reads
    metadata = result.asset_materializations_for_node("models")[0].metadata
    assert (metadata["unchanged"].value, metadata["rows_written"].value) == (5, 0)


def test_503_then_200_is_retried_and_succeeds(instance, database_url, replay_server) -> None:
    replay_server.faults["groq"] = [CannedResponse(503, b"busy", {"Retry-After": "0"})]
    result = sync_partition(instance, database_url, replay_server, "groq")
    assert result.success, failure_text(result)
    metadata = result.asset_materializations_for_node("provider_models")[0].metadata
    assert metadata["http_attempts"].value == 2


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"code": "permission-denied", "error": "no credits"}', "error body"),
        (b'{"object": "list", "data": []}', "empty model list"),
        (b'{"object": "list", "data": [', "not valid JSON"),
    ],
)
def test_bad_bodies_with_status_200_fail_the_partition(
    instance, database_url, replay_server, body: bytes, expected: str
) -> None:
    assert sync_partition(instance, database_url, replay_server, "groq").success
    replay_server.faults["groq"] = [CannedResponse(200, body)]
    result = sync_partition(instance, database_url, replay_server, "groq")
    assert not result.success
    assert expected in failure_text(result)
    assert CatalogStore(database_url=database_url).model_count("groq") == 5


def test_count_drop_blocks_the_write_then_full_list_recovers(
    instance, database_url, replay_server: ReplayServer
) -> None:
    recording = replay_server.root / "together" / "v1" / "models.json"
    full = recording.read_bytes()
    assert sync_partition(instance, database_url, replay_server, "together").success
    store = CatalogStore(database_url=database_url)
    before = prices(store, "together")

    recording.write_text(json.dumps(json.loads(full)[:2]))
    blocked = sync_partition(instance, database_url, replay_server, "together")
    assert not blocked.success
    check = check_results(blocked)["count_not_dropped"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    assert check.metadata["disappeared_count"].value == 5
    assert prices(store, "together") == before
    assert {r["status"] for r in store.offers() if r["provider"] == "together"} == {"active"}

    recording.write_bytes(full)
    recovered = sync_partition(instance, database_url, replay_server, "together")
    assert recovered.success, failure_text(recovered)
    assert check_results(recovered)["count_not_dropped"].passed


def test_unit_change_is_caught_by_prices_sane(instance, database_url, replay_server) -> None:
    recording = replay_server.root / "together" / "v1" / "models.json"
    assert sync_partition(instance, database_url, replay_server, "together").success
    models = json.loads(recording.read_text())
    for model in models:
        model["pricing"]["input"] = model["pricing"]["input"] * 1_000_000
    recording.write_text(json.dumps(models))
    result = sync_partition(instance, database_url, replay_server, "together")
    assert not result.success
    check = check_results(result)["prices_sane"]
    assert not check.passed
    assert check.metadata["moved_count"].value >= 3
    together = prices(CatalogStore(database_url=database_url), "together")
    assert together["meta-llama/Llama-3.3-70B-Instruct-Turbo"]["prompt"] == Decimal("0.00000088")


def test_items_that_overflow_a_column_are_rejected_and_the_rest_written(
    instance, database_url, replay_server: ReplayServer
) -> None:
    """Validation matches the schema: each item passes a lenient parse but would break one
    column; it is rejected and counted, and the provider's good models are written."""
    recording = replay_server.root / "openrouter" / "api" / "v1" / "models.json"
    document = json.loads(recording.read_text())
    document["data"] += faults.column_breakers(document["data"][0])
    recording.write_text(json.dumps(document))
    result = dg.materialize(
        PROVIDER_ASSETS,
        partition_key="openrouter",
        resources={
            **resources(database_url, replay_server),
            "check_settings": CheckSettings(max_rejected_fraction=0.5),
        },
        instance=instance,
        raise_on_error=False,
    )
    assert result.success, failure_text(result)
    check = check_results(result)["schema_valid"]
    assert check.passed and check.metadata["rejected"].value == 5
    errors = " ".join(r.data["error"] for r in check.metadata["rejected_rows"].value.records)
    for expected in (
        "less than or equal to 2147483647",
        "at most 100 characters",
        "NUL",
        "at most 300 characters",
        "outside the stored range",
    ):
        assert expected in errors, errors
    store = CatalogStore(database_url=database_url)
    assert store.model_count("openrouter") == 7
